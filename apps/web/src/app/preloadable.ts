import { lazy, type ComponentType } from 'react';

type Module<T> = { default: T };

/**
 * `React.lazy` for a page whose code may already be here when it is first drawn (the trainer's pages on an
 * installed phone): once `preload()` has resolved, the page renders at once instead of suspending — a
 * suspended page shows its fallback and React then holds the real page back for up to 300 ms, several times
 * over for nested pages. React's lazy reads a module given synchronously by `then` without suspending.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any component, as React.lazy itself takes
export function preloadable<T extends ComponentType<any>>(load: () => Promise<Module<T>>) {
  let loaded: Module<T> | undefined;
  let loading: Promise<Module<T>> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => (loaded = module),
      (error: unknown) => {
        loading = undefined; // offline and not kept: the next attempt asks again
        throw error;
      },
    ));
  const here = (module: Module<T>) =>
    ({ then: (resolve: (value: Module<T>) => void) => resolve(module) }) as unknown as Promise<Module<T>>;
  return { Component: lazy(() => (loaded ? here(loaded) : preload())), preload };
}
