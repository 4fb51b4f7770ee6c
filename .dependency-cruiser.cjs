// The backend's dependency graph, checked by `npm run lint` (dependency-cruiser). ESLint checks each import
// on its own (no deep import into another library, no app importing another); this checks the graph: the
// libraries' layers, no cycle, apps on top.

/**
 * The libraries from the bottom up: a library uses only libraries of lower layers (never its own layer's
 * neighbours, never a higher one), so the graph has no cycle between libraries and a change low down is
 * known to reach only what sits above it.
 */
const LAYERS = [
  ['platform'],
  ['access'],
  ['audit'],
  ['hierarchy', 'jobs'],
  ['people', 'auth'],
  ['programs'],
  ['trainers'],
  ['classes'],
  ['certificates'],
  ['kpi', 'citizens'],
  ['flags'],
  ['partners', 'demo'],
];

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i).flat();
  return layer.map((lib) => ({
    name: `layer-${lib}`,
    comment: `libs/${lib} may use only the libraries below it: ${LAYERS.slice(0, i).flat().join(', ') || 'none'}.`,
    severity: 'error',
    from: { path: `^libs/${lib}/` },
    to: { path: `^libs/(${above.filter((l) => l !== lib).join('|')})/` },
  }));
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle, within a library or between them.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libraries-not-to-apps',
      comment: 'Libraries never depend on an app (apps compose libraries).',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'app-not-to-other-app',
      comment:
        'Each app is its own composition root: the API, the worker and the web app share code only through libraries.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'other-library-through-its-index',
      comment: 'Another library is used only through its public surface, libs/<name>/src/index.ts.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'apps-and-migrations-through-library-indexes',
      comment: 'Apps and migrations use a library only through libs/<name>/src/index.ts.',
      severity: 'error',
      from: { path: '^(apps/(api|worker)|migrations)/' },
      to: { path: '^libs/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'production-not-to-tests',
      comment: 'Shipped code never imports test code.',
      severity: 'error',
      from: { path: '^(libs|apps|migrations)/', pathNot: '\\.(e2e-)?spec\\.ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'production-not-to-dev-dependencies',
      comment: 'Shipped code depends only on production dependencies (npm ci --omit=dev in the image).',
      severity: 'error',
      from: { path: '^(libs|apps/(api|worker)|migrations)/', pathNot: '\\.(e2e-)?spec\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^apps/web/', '^dist/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
