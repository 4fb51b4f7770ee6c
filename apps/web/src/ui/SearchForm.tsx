import { useState } from 'react';
import { TextField } from './Field';

/** A search box with its button: `onSearch` gets the typed term, trimmed, when the form is sent. */
export function SearchForm({ label, onSearch }: { label: string; onSearch: (term: string) => void }) {
  const [q, setQ] = useState('');
  return (
    <form
      className="search-row"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(q.trim());
      }}
    >
      <TextField label={label} value={q} onChange={(e) => setQ(e.target.value)} type="search" />
      <button type="submit" className="button secondary">
        Tìm
      </button>
    </form>
  );
}
