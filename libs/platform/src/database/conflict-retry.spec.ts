import { QueryFailedError } from 'typeorm';
import { retryOnConflict } from './conflict-retry';

const failure = (code: string) =>
  new QueryFailedError('UPDATE …', [], Object.assign(new Error(code), { code }));

describe('retryOnConflict', () => {
  it('runs a transaction aborted by a deadlock or a serialization failure again', async () => {
    const errors = [failure('40P01'), failure('40001')];
    let runs = 0;
    const result = await retryOnConflict(async () => {
      runs++;
      const error = errors.shift();
      if (error) throw error;
      return 'done';
    });
    expect([result, runs]).toEqual(['done', 3]);
  });

  it('gives up after the last attempt, and never retries other errors', async () => {
    let runs = 0;
    const deadlock = failure('40P01');
    await expect(
      retryOnConflict(async () => {
        runs++;
        throw deadlock;
      }, 3),
    ).rejects.toBe(deadlock);
    expect(runs).toBe(3);

    runs = 0;
    const unique = failure('23505');
    await expect(
      retryOnConflict(async () => {
        runs++;
        throw unique;
      }),
    ).rejects.toBe(unique);
    expect(runs).toBe(1);
  });
});
