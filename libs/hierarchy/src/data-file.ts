import { readFile } from 'node:fs/promises';
import { DomainError, FieldError } from '../../platform/src';
import { UnitErrors } from './unit.errors';

const MAX_ERRORS = 100;

/** The problems found in a data file: the first hundred in full, and how many there were. */
export class FileProblems {
  readonly errors: FieldError[] = [];
  total = 0;

  fail(field: string, reason: string): void {
    this.total++;
    if (this.errors.length < MAX_ERRORS) this.errors.push({ field, reason });
  }
}

/** The JSON content of a data file's text (a leading byte-order mark is allowed), or `invalid`'s error. */
export function parseJson(
  text: string,
  invalid: (errors: FieldError[], total: number) => DomainError,
): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid([{ field: '$', reason: `không phải JSON hợp lệ: ${(error as Error).message}` }], 1);
  }
}

/**
 * The text of a data file named on a command line or in the configuration; a file that cannot be read is
 * answered in plain words (which file, and why), not with the system's error code.
 */
export async function readDataFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why: Record<string, string> = {
      ENOENT: 'tệp không tồn tại (file not found)',
      EISDIR: 'đây là một thư mục, không phải tệp (is a directory)',
      EACCES: 'không có quyền đọc tệp (permission denied)',
    };
    if (code && why[code]) throw UnitErrors.fileUnreadable(path, why[code]);
    throw error;
  }
}
