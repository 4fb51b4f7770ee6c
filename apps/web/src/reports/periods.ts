import { vietnamToday } from '../ui';

/** The quarter before today's in Vietnam: the last one whose reports are due. */
export function previousQuarter(today = vietnamToday()): string {
  const year = Number(today.slice(0, 4));
  const quarter = Math.ceil(Number(today.slice(5, 7)) / 3);
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}

/** Every quarter of a program's years, oldest first. */
export function quarters(program: { startsOn: string; endsOn: string }): string[] {
  const out: string[] = [];
  for (let y = Number(program.startsOn.slice(0, 4)); y <= Number(program.endsOn.slice(0, 4)); y++)
    for (let q = 1; q <= 4; q++) out.push(`${y}-Q${q}`);
  return out;
}
