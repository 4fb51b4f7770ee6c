import { ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError, validationErrorFactory } from '../../platform/src';
import { SyncBatchDto } from './class.dto';
import { SyncBatchPipe } from './sync-batch.pipe';

/** The global pipe of the API (apps/api/src/bootstrap.ts), which checked sync batches by their DTO before. */
const dtoPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: validationErrorFactory,
});

/** The field errors a pipe answers (sorted), or null when it accepts the body. */
async function errorsOf(check: () => unknown): Promise<FieldError[] | null> {
  try {
    await check();
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [...error.errors].sort((a, b) => a.field.localeCompare(b.field));
  }
}

const mark = (extra: Record<string, unknown> = {}) => ({
  clientId: '0b7d1c2e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  sessionId: '1c8e2d3f-4a5b-4c6d-9e7f-8091a2b3c4d5',
  personId: '2d9f3e4a-5b6c-4d7e-af80-91a2b3c4d5e6',
  status: 'present',
  recordedAt: '2026-11-22T08:15:30.123+07:00',
  ...extra,
});

const bodies: [string, unknown][] = [
  ['a good batch', { marks: [mark(), mark({ baseVersion: 0 }), mark({ baseVersion: null })] }],
  ['no marks', {}],
  ['marks not a list', { marks: 'x' }],
  ['an empty list', { marks: [] }],
  ['too many marks', { marks: Array.from({ length: 501 }, () => mark()) }],
  ['an unknown field of the batch', { marks: [mark()], device: 'x' }],
  ['an unknown field of a mark', { marks: [mark(), mark({ note: 'x' })] }],
  ['marks that are not objects', { marks: [mark(), 5, null] }],
  ['bad ids', { marks: [mark({ clientId: 'abc', sessionId: 12, personId: null })] }],
  ['a missing id', { marks: [mark({ personId: undefined })] }],
  ['a bad status', { marks: [mark({ status: 'here' })] }],
  [
    'bad times',
    { marks: [mark({ recordedAt: '22/11/2026' }), mark({ recordedAt: '2026-02-30T08:00:00Z' })] },
  ],
  ['a time that is not a string', { marks: [mark({ recordedAt: 1_700_000_000 })] }],
  [
    'bad versions',
    {
      marks: [
        mark({ baseVersion: -1 }),
        mark({ baseVersion: 1.5 }),
        mark({ baseVersion: '3' }),
        mark({ baseVersion: 2_147_483_648 }),
        mark({ baseVersion: -1.5 }),
      ],
    },
  ],
  [
    'everything wrong at once',
    { marks: [mark({ clientId: 'x', status: 'y', recordedAt: 'z', baseVersion: -2 })] },
  ],
];

describe('SyncBatchPipe', () => {
  it.each(bodies)('answers %s as the DTO rules do', async (_name, body) => {
    const expected = await errorsOf(() =>
      dtoPipe.transform(structuredClone(body), { type: 'body', metatype: SyncBatchDto }),
    );
    const actual = await errorsOf(() => new SyncBatchPipe().transform(structuredClone(body)));
    expect(actual).toEqual(expected);
  });

  it('refuses a list in place of a mark (which class-validator let through, to fail in the service)', async () => {
    const body = { marks: [mark(), [mark()]] };
    expect(await errorsOf(() => new SyncBatchPipe().transform(body))).toEqual([
      { field: 'marks[1]', reason: 'không hợp lệ', rule: 'nestedValidation' },
    ]);
  });

  it('hands the marks on as sent', () => {
    const body = { marks: [mark({ baseVersion: 3 })] };
    expect(new SyncBatchPipe().transform(structuredClone(body))).toEqual(body);
  });
});
