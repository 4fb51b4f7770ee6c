import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A calendar date as `YYYY-MM-DD` that exists (no 2026-02-30). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName.toString(),
      options: { message: 'phải là ngày hợp lệ theo định dạng YYYY-MM-DD', ...options },
      validator: { validate: isCalendarDate },
    });
}

/** Trims strings and stores them in Unicode NFC, so that "Nguyễn" typed on any keyboard is one name. */
export function NormalizeText(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.normalize('NFC').replace(/\s+/g, ' ').trim() : value,
  );
}
