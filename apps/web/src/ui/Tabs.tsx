import type { ReactNode } from 'react';

/**
 * Tabs as the ARIA pattern describes them: one tab stop for the list, arrow keys move between tabs, the
 * panel is labelled by its tab.
 */
export function Tabs<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
  children,
}: {
  label: string;
  tabs: readonly (readonly [T, string])[];
  selected: T;
  onSelect: (tab: T) => void;
  children: ReactNode;
}) {
  const select = (tab: T) => {
    onSelect(tab);
    document.getElementById(`tab-${tab}`)?.focus();
  };
  return (
    <>
      <div className="tabs" role="tablist" aria-label={label}>
        {tabs.map(([value, text], i) => (
          <button
            key={value}
            type="button"
            role="tab"
            id={`tab-${value}`}
            aria-selected={selected === value}
            aria-controls="tab-panel"
            tabIndex={selected === value ? 0 : -1}
            onClick={() => select(value)}
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (step) select(tabs[(i + step + tabs.length) % tabs.length][0]);
            }}
          >
            {text}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="tab-panel" aria-labelledby={`tab-${selected}`}>
        {children}
      </div>
    </>
  );
}
