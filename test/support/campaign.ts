import { randomBytes } from 'node:crypto';
import { Http } from './http';

/** CCCD tails: a random start per test process, then consecutive, so they never repeat within a database. */
let serial = randomBytes(3).readUIntBE(0, 3) % 900_000;

/** A valid CCCD for the person (province of birth registration 019, Thái Nguyên), unique per call. */
export function cccdFor(gender: 'male' | 'female', birthYear: number): string {
  const century = Math.floor((birthYear - 1900) / 100) * 2 + (gender === 'female' ? 1 : 0);
  const tail = String(++serial % 1_000_000).padStart(6, '0');
  return `019${century}${String(birthYear % 100).padStart(2, '0')}${tail}`;
}

export async function createProgram(
  http: Http,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; code: string }> {
  const code = `T${randomBytes(3).toString('hex').toUpperCase()}`;
  const res = await http.post('/api/v1/programs', {
    code,
    name: `Bình dân học AI — thử nghiệm ${code}`,
    ownerUnitCode: '19',
    startsOn: '2026-03-01',
    endsOn: '2026-12-31',
    completionRule: { minSessions: 2 },
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`program: ${res.status} ${res.text}`);
  return { id: res.body.id, code };
}

export async function createPerson(
  http: Http,
  communeCode: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; body: any }> {
  const res = await http.post('/api/v1/people', {
    fullName: `Nguyễn Văn ${randomBytes(3).toString('hex')}`,
    birthYear: 1990,
    gender: 'male',
    communeCode,
    segment: 'farmer',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`person: ${res.status} ${res.text}`);
  return { id: res.body.id, body: res.body };
}

export async function createTrainer(
  http: Http,
  programId: string,
  communeCode: string,
  options: { trainedById?: string; tier?: string; personId?: string; quota?: number } = {},
): Promise<{ id: string; personId: string }> {
  const personId = options.personId ?? (await createPerson(http, communeCode)).id;
  const res = await http.post(`/api/v1/programs/${programId}/trainers`, {
    personId,
    tier: options.tier ?? 'commune_core',
    homeUnitCode: communeCode,
    trainedById: options.trainedById,
    quota: options.quota,
  });
  if (res.status !== 201) throw new Error(`trainer: ${res.status} ${res.text}`);
  return { id: res.body.id, personId };
}
