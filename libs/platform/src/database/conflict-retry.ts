import { QueryFailedError } from 'typeorm';

/** SQLSTATEs of a transaction that lost a race and may simply run again: serialization failure, deadlock. */
const CONFLICTS = new Set(['40001', '40P01']);

export function isConflict(error: unknown): boolean {
  const driver: unknown = error instanceof QueryFailedError ? error.driverError : error;
  return CONFLICTS.has((driver as { code?: string } | null)?.code ?? '');
}

/**
 * Runs a whole transaction again when PostgreSQL aborts it for a conflict with a concurrent one (up to
 * `attempts` times, after a short random pause); for requests whose caller cannot be asked to retry, such
 * as a learner's check-in form. Other errors, and the last conflict, go to the caller.
 */
export async function retryOnConflict<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * attempt));
    }
  }
}
