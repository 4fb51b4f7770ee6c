import { plainToInstance } from 'class-transformer';
import { validate, ValidateIf } from 'class-validator';
import { FieldError, fieldErrors } from '../../platform/src';

/**
 * One item of a batch, checked on its own with the rules of the global validation pipe (unknown fields
 * refused): the item's value, or its problems named under `prefix` (`people[3].gender`).
 */
export async function checkItem<T extends object>(
  type: new () => T,
  raw: unknown,
  prefix: string,
): Promise<T | FieldError[]> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ field: prefix, reason: 'phải là một đối tượng' }];
  }
  const value = plainToInstance(type, raw);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length ? fieldErrors(errors, prefix) : value;
}

/** Counts of each status among batch results, every status present (0 when none). */
export function summarise<S extends string>(
  results: { status: S }[],
  statuses: readonly S[],
): Record<S, number> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
  for (const r of results) counts[r.status]++;
  return counts;
}

/**
 * Optional, but never null: an absent field takes its default, while `null` is checked like any other value
 * (and refused with a reason), so no null reaches a rule that does not expect one.
 */
export const Optional = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

/** An item's own id, read from whatever was sent (for the answer to an item that could not be read). */
export function idOf(raw: unknown, name: string, max: number): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const value = (raw as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, max) : null;
}
