import { drainFlags } from '../support/jobs';
import { MatrixCase, statuses } from './cases';
import { World } from './world';

/**
 * A flag on a class in the commune, led by the signed-in trainer: its first session (days ago) marked now,
 * long after it ended (a back-filled mark). A fresh class each time for requests that change the flag.
 */
async function flag(w: World, fresh = false): Promise<string> {
  const c = fresh ? await w.freshClass('in') : w.classes.in;
  const rows: { id: string }[] = await w.t.dataSource.query(`SELECT id FROM data_flag WHERE class_id = $1`, [
    c.id,
  ]);
  if (rows[0]) return rows[0].id;
  const res = await w.t.http.put(`/api/v1/classes/${c.id}/sessions/${c.sessionId}/attendance`, {
    marks: [{ personId: c.personId, status: 'present' }],
  });
  if (res.status !== 200) throw new Error(`roster: ${res.status} ${res.text}`);
  await drainFlags(w.t);
  const [row]: { id: string }[] = await w.t.dataSource.query(`SELECT id FROM data_flag WHERE class_id = $1`, [
    c.id,
  ]);
  if (!row) throw new Error('no flag raised for the fixture');
  return row.id;
}

/** Figures of the commune: read by steering members and viewers over it (and administrators). */
const communeReaders = (status: number) =>
  statuses(403, {
    anonymous: 401,
    admin: status,
    steeringProvince: status,
    steeringCommune: status,
    viewer: status,
  });

export const FLAG_CASES: MatrixCase[] = [
  {
    route: 'GET /api/v1/flags',
    request: (w) => ({ path: `/api/v1/flags?programId=${w.program}` }),
    // Each sees the part of the queue in their scope (possibly none); department heads have no queue.
    expect: statuses(200, { anonymous: 401, departmentHead: 403 }),
  },
  {
    route: 'GET /api/v1/flags/figures',
    request: (w) => ({ path: `/api/v1/flags/figures?programId=${w.program}&unit=${w.units.commune}` }),
    expect: communeReaders(200),
  },
  {
    route: 'GET /api/v1/flags/figures/xlsx',
    request: (w) => ({ path: `/api/v1/flags/figures/xlsx?programId=${w.program}&unit=${w.units.commune}` }),
    expect: communeReaders(200),
  },
  {
    route: 'GET /api/v1/flags/trainers',
    request: (w) => ({ path: `/api/v1/flags/trainers?programId=${w.program}&unit=${w.units.commune}` }),
    expect: communeReaders(200),
  },
  {
    route: 'GET /api/v1/flags/{id}',
    request: async (w) => ({ path: `/api/v1/flags/${await flag(w)}` }),
    // The trainer of the flagged class sees it; a steering member elsewhere does not know it exists.
    expect: statuses(200, { anonymous: 401, steeringOther: 404, departmentHead: 403 }),
  },
  {
    route: 'POST /api/v1/flags/{id}/decision',
    request: async (w) => ({
      path: `/api/v1/flags/${await flag(w, true)}/decision`,
      body: { decision: 'clear', reason: 'Đã gọi điện xác minh với học viên' },
    }),
    expect: statuses(403, {
      anonymous: 401,
      admin: 200,
      steeringProvince: 200,
      steeringCommune: 200,
      steeringOther: 404,
    }),
  },
  {
    route: 'POST /api/v1/flags/{id}/explanation',
    request: async (w) => ({
      path: `/api/v1/flags/${await flag(w, true)}/explanation`,
      body: { text: 'Mất sóng ở thôn, tôi nhập lại danh sách khi về xã' },
    }),
    // Only the class's own trainer explains.
    expect: statuses(403, { anonymous: 401, steeringOther: 404, trainer: 200 }),
  },
  {
    route: 'GET /api/v1/programs/{id}/flag-settings',
    request: (w) => ({ path: `/api/v1/programs/${w.program}/flag-settings` }),
    expect: statuses(403, { anonymous: 401, admin: 200, steeringProvince: 200, viewer: 200 }),
  },
  {
    route: 'PUT /api/v1/programs/{id}/flag-settings',
    request: (w) => ({
      path: `/api/v1/programs/${w.program}/flag-settings`,
      body: { settings: [{ pattern: 'backfilled', threshold: 72, severity: 'medium', enabled: true }] },
    }),
    expect: statuses(403, { anonymous: 401, admin: 200, steeringProvince: 200 }),
  },
];
