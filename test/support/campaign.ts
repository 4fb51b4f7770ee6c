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

/** Sessions of `count` days starting `firstDay` (YYYY-MM-DD, Vietnamese time), 08:00–09:30. */
export function sessionsFrom(firstDay: string, count: number): { startsAt: string; endsAt: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.parse(`${firstDay}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    return { startsAt: `${day}T08:00:00+07:00`, endsAt: `${day}T09:30:00+07:00` };
  });
}

export async function createClass(
  http: Http,
  programId: string,
  leadTrainerId: string,
  unitCode: string,
  overrides: Record<string, unknown> = {},
  options: { draft?: boolean } = {},
): Promise<{ id: string; sessions: { id: string; position: number; startsAt: string }[]; body: any }> {
  const res = await http.post('/api/v1/classes', {
    programId,
    level: 1,
    kind: 'citizen',
    title: 'Lớp Bình dân học AI — thôn Làng Mới',
    leadTrainerId,
    unitCode,
    venueType: 'cultural_house',
    venueAddress: 'Nhà văn hóa xóm Làng Mới',
    mode: 'in_person',
    capacity: 40,
    sessions: sessionsFrom('2026-11-20', 3),
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`class: ${res.status} ${res.text}`);
  if (!options.draft) {
    const scheduled = await http.post(`/api/v1/classes/${res.body.id}/status`, { status: 'scheduled' });
    if (scheduled.status !== 200) throw new Error(`schedule: ${scheduled.status} ${scheduled.text}`);
  }
  return { id: res.body.id, sessions: res.body.sessions, body: res.body };
}
