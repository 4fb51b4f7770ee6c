import { Injectable, PipeTransform } from '@nestjs/common';
import { isISO8601, isUUID } from 'class-validator';
import { CommonErrors, FieldError, ruleReason } from '../../platform/src';
import { ATTENDANCE_STATUSES } from './class.entities';
import { INT4_MAX, SYNC_BATCH_LIMIT, SyncMarkDto } from './class.dto';

/** An offline sync batch as the pipe hands it on: `SyncBatchDto`'s shape, checked. */
export interface SyncBatch {
  marks: SyncMarkDto[];
}

const MARK_FIELDS = new Set(['clientId', 'sessionId', 'personId', 'status', 'recordedAt', 'baseVersion']);
const STATUSES: readonly string[] = ATTENDANCE_STATUSES;

/**
 * Checks an offline sync batch by `SyncBatchDto`'s rules, by hand. class-validator looks up a class's rules
 * again for every nested object, which for a batch of 500 marks took longer than the batch's whole
 * transaction (docs/benchmarks.md, "Attendance sync"); these checks take about a millisecond and answer the
 * same fields, reasons and rules (sync-batch.pipe.spec.ts compares them with class-validator's).
 */
@Injectable()
export class SyncBatchPipe implements PipeTransform<unknown, SyncBatch> {
  transform(body: unknown): SyncBatch {
    const errors: FieldError[] = [];
    const fail = (field: string, rule: string, arg?: string) =>
      errors.push({ field, reason: ruleReason(rule, arg), rule });
    const fields = isObject(body) ? body : {};
    for (const key of Object.keys(fields)) if (key !== 'marks') fail(key, 'whitelistValidation');
    const { marks } = fields;
    if (!Array.isArray(marks)) fail('marks', 'isArray');
    else if (marks.length < 1) fail('marks', 'arrayMinSize', '1');
    else if (marks.length > SYNC_BATCH_LIMIT) fail('marks', 'arrayMaxSize', String(SYNC_BATCH_LIMIT));
    else marks.forEach((mark, i) => checkMark(mark, `marks[${i}]`, fail));
    if (errors.length) throw CommonErrors.validation(errors);
    return body as SyncBatch;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkMark(mark: unknown, at: string, fail: (field: string, rule: string, arg?: string) => void) {
  if (!isObject(mark)) {
    fail(at, 'nestedValidation');
    return;
  }
  for (const key of Object.keys(mark)) if (!MARK_FIELDS.has(key)) fail(`${at}.${key}`, 'whitelistValidation');
  for (const key of ['clientId', 'sessionId', 'personId'])
    if (typeof mark[key] !== 'string' || !isUUID(mark[key])) fail(`${at}.${key}`, 'isUuid');
  if (!STATUSES.includes(mark.status as string)) fail(`${at}.status`, 'isIn', STATUSES.join(', '));
  if (typeof mark.recordedAt !== 'string' || !isISO8601(mark.recordedAt, { strict: true }))
    fail(`${at}.recordedAt`, 'isIso8601');
  const version = mark.baseVersion;
  if (version === undefined || version === null) return;
  if (typeof version !== 'number' || !Number.isInteger(version)) fail(`${at}.baseVersion`, 'isInt');
  else if (version < 0) fail(`${at}.baseVersion`, 'min', '0');
  else if (version > INT4_MAX) fail(`${at}.baseVersion`, 'max', String(INT4_MAX));
}
