import { createInflateRaw } from 'node:zlib';

/**
 * What an uploaded workbook may unpack to. A real .xlsx is a few dozen parts that compress 5–30 times; a
 * learners' list of 20,000 rows unpacks to about 10 MB. A zip bomb is a small file that unpacks to
 * hundreds of megabytes (or claims to unpack to little and does not).
 */
export interface ZipLimits {
  maxEntries: number;
  /** All parts together, unpacked. */
  maxTotalBytes: number;
  /** Unpacked size over packed size, for any part larger than 1 MB unpacked. */
  maxRatio: number;
}

export const WORKBOOK_LIMITS: ZipLimits = {
  maxEntries: 1000,
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 200,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MB = 1024 * 1024;

interface Entry {
  name: string;
  method: number;
  packed: number;
  unpacked: number;
  localOffset: number;
}

/** The zip's table of contents (its central directory), read from the buffer without unpacking anything. */
function entries(zip: Buffer, limits: ZipLimits): Entry[] {
  // The end-of-central-directory record sits in the last 22 bytes plus a comment of up to 64 KB.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('không tìm thấy mục lục của tệp nén');
  const count = zip.readUInt16LE(end + 10);
  if (count > limits.maxEntries) throw new Error(`tệp nén có quá ${limits.maxEntries} phần`);
  let offset = zip.readUInt32LE(end + 16);
  const list: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL)
      throw new Error('mục lục của tệp nén bị hỏng');
    const nameLength = zip.readUInt16LE(offset + 28);
    const entry = {
      method: zip.readUInt16LE(offset + 10),
      packed: zip.readUInt32LE(offset + 20),
      unpacked: zip.readUInt32LE(offset + 24),
      localOffset: zip.readUInt32LE(offset + 42),
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
    };
    // 0xFFFFFFFF means the real size is in a ZIP64 field: beyond any workbook this service takes.
    if (entry.unpacked === 0xffffffff || entry.packed === 0xffffffff)
      throw new Error('tệp nén quá lớn (ZIP64)');
    list.push(entry);
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return list;
}

/** Unpacks one part into nothing, counting: fails as soon as it yields more than it declared. */
function inflatedWithin(data: Buffer, declared: number): Promise<boolean> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let produced = 0;
    inflate.on('data', (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > declared) {
        inflate.destroy();
        resolve(false);
      }
    });
    inflate.on('end', () => resolve(produced === declared));
    inflate.on('error', () => resolve(false));
    inflate.end(data);
  });
}

/**
 * Checks an uploaded zip before any parser opens it: the number of parts, the total unpacked size and each
 * large part's ratio as declared, then that every part really unpacks to what it declared — streamed into
 * a counter, so memory stays flat whatever the file claims. Resolves with a reason (Vietnamese) to refuse
 * it, or null.
 */
export async function zipProblem(zip: Buffer, limits: ZipLimits = WORKBOOK_LIMITS): Promise<string | null> {
  let list: Entry[];
  try {
    list = entries(zip, limits);
  } catch (error) {
    return (error as Error).message;
  }
  const total = list.reduce((sum, entry) => sum + entry.unpacked, 0);
  if (total > limits.maxTotalBytes) {
    return `tệp giải nén ra ${Math.round(total / MB).toLocaleString('vi-VN')} MB, quá giới hạn ${limits.maxTotalBytes / MB} MB`;
  }
  for (const entry of list) {
    if (entry.unpacked > MB && entry.unpacked > entry.packed * limits.maxRatio)
      return `phần "${entry.name}" của tệp nén có tỉ lệ nén bất thường (có thể là tệp "bom nén")`;
    const local = entry.localOffset;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) return 'tệp nén bị hỏng';
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + entry.packed);
    if (data.length !== entry.packed) return 'tệp nén bị hỏng';
    const honest =
      entry.method === 0
        ? entry.packed === entry.unpacked
        : entry.method === 8 && (await inflatedWithin(data, entry.unpacked));
    if (!honest) return `phần "${entry.name}" của tệp nén không giải nén đúng kích thước đã khai`;
  }
  return null;
}
