import { useState } from 'react';
import { TextField } from './Field';

/** "07/12/2026" (or 7-12-2026, 7.12.2026) to "2026-12-07"; null when it is not a real day. */
export function parseVnDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "2026-12-07" to "07/12/2026" ('' stays ''). */
export function formatVnDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/** "8:05", "08h05" or "8.05" to "08:05" (24-hour clock); null otherwise. */
export function parseVnTime(text: string): string | null {
  const m = /^\s*(\d{1,2})\s*[:hg.]\s*(\d{2})\s*$/i.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

const same = (v: string) => v;
const timeHint = (v: string) => `${v} (24 giờ)`;

function weekday(iso: string): string {
  return new Intl.DateTimeFormat('vi-VN', { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );
}

interface Props {
  label: string;
  /** The value as the API takes it: yyyy-mm-dd for a day, HH:MM for a time; '' while not valid. */
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

/**
 * A text field the person types in as Vietnamese write, whatever language their browser is set to:
 * the browser's own date and time pickers follow the browser's locale (mm/dd/yyyy, 08:00 AM on an English
 * phone), which a Vietnamese trainer misreads.
 */
function VnField({
  label,
  value,
  onChange,
  error,
  parse,
  format,
  example,
  hintOf,
}: Props & {
  parse: (text: string) => string | null;
  format: (value: string) => string;
  example: string;
  hintOf: (value: string) => string;
}) {
  const [text, setText] = useState(format(value));
  // A value changed from outside (a default, the next week's session) replaces what is shown.
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if ((parse(text) ?? '') !== value) setText(format(value));
  }
  const parsed = parse(text);
  const wrong = text.trim() !== '' && !parsed;
  return (
    <TextField
      label={label}
      inputMode="numeric"
      autoComplete="off"
      placeholder={example}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parse(e.target.value) ?? '');
      }}
      hint={parsed ? hintOf(parsed) : undefined}
      error={error ?? (wrong ? `Hãy nhập theo dạng ${example}` : undefined)}
    />
  );
}

/** A day, typed dd/mm/yyyy; the weekday is shown under it. */
export function DateField(props: Props) {
  return (
    <VnField
      {...props}
      parse={parseVnDate}
      format={formatVnDate}
      example="ngày/tháng/năm, ví dụ 07/12/2026"
      hintOf={weekday}
    />
  );
}

/** A time of day, typed on the 24-hour clock. */
export function TimeField(props: Props) {
  return (
    <VnField {...props} parse={parseVnTime} format={same} example="giờ:phút, ví dụ 08:00" hintOf={timeHint} />
  );
}
