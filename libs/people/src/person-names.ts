import { foldVietnamese, nfc, personNameSortKey } from '../../platform/src';

/** The derived name columns of a person. */
export function nameColumns(fullName: string): {
  fullName: string;
  nameKey: string;
  swappedNameKey: string;
  sortKey: string;
} {
  const name = nfc(fullName);
  const nameKey = foldVietnamese(name);
  const words = nameKey.split(' ');
  const swapped =
    words.length > 1 ? [words[words.length - 1], ...words.slice(1, -1), words[0]].join(' ') : nameKey;
  return { fullName: name, nameKey, swappedNameKey: swapped, sortKey: personNameSortKey(name) };
}
