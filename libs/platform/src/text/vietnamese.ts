/**
 * Vietnamese text helpers: NFC storage, accent-insensitive search keys, and sort keys that follow
 * Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …, tones after the base letter).
 */

export function nfc(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Lower-case, without tone marks or letter diacritics, đ → d: "Xã Đồng Hỷ" → "xa dong hy". */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const ALPHABET = [
  ...'0123456789',
  'a',
  'ă',
  'â',
  'b',
  'c',
  'd',
  'đ',
  'e',
  'ê',
  'f',
  'g',
  'h',
  'i',
  'j',
  'k',
  'l',
  'm',
  'n',
  'o',
  'ô',
  'ơ',
  'p',
  'q',
  'r',
  's',
  't',
  'u',
  'ư',
  'v',
  'w',
  'x',
  'y',
  'z',
];
const PRIMARY = new Map(ALPHABET.map((letter, index) => [letter, String.fromCharCode(0x21 + index)]));
// Dictionary order of tones: ngang, huyền, sắc, hỏi, ngã, nặng.
const TONES = new Map([
  ['\u0300', '1'],
  ['\u0301', '2'],
  ['\u0309', '3'],
  ['\u0303', '4'],
  ['\u0323', '5'],
]);
// Letter diacritics that make a distinct letter of the alphabet (ă â ê ô ơ ư).
const LETTER_MARKS = new Set(['\u0306', '\u0302', '\u031b']);

function collationParts(text: string): { primary: string; tones: string } {
  let primary = '';
  let tones = '';
  for (const char of text.toLowerCase().normalize('NFC')) {
    const decomposed = char.normalize('NFD');
    let base = decomposed[0] ?? '';
    let tone = '0';
    for (const mark of decomposed.slice(1)) {
      if (LETTER_MARKS.has(mark)) base = (base + mark).normalize('NFC');
      else tone = TONES.get(mark) ?? tone;
    }
    const key = PRIMARY.get(base);
    if (key !== undefined) {
      primary += key;
      tones += tone;
    } else if (/\s/.test(char) && !primary.endsWith(' ')) {
      primary += ' ';
    }
  }
  return { primary: primary.trim(), tones };
}

/** A key whose code-point order ("C" collation) is Vietnamese alphabetical order of `text`. */
export function vietnameseSortKey(text: string): string {
  const { primary, tones } = collationParts(text);
  return `${primary}\u0001${tones}`;
}

/**
 * Vietnamese lists of people sort by given name (the last word), then by the rest of the name:
 * "Trần Văn An" before "Nguyễn Thị Bình".
 */
export function personNameSortKey(fullName: string): string {
  const words = nfc(fullName).split(' ');
  const given = words.pop() ?? '';
  const a = collationParts(given);
  const b = collationParts(words.join(' '));
  return `${a.primary}\u0001${a.tones}\u0001${b.primary}\u0001${b.tones}`;
}
