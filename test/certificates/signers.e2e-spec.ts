import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf, createUser, TestUser } from '../support/fixtures';
import { Http } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { pdfText, pdfToPng, toolAvailable } from '../support/tools';

const artifacts = join(__dirname, '../../dist/test-artifacts');

/** A round red stamp (a ring and a star-less centre dot), as a unit's scanned seal would be: PNG with alpha. */
function sealPng(size = 160, color: [number, number, number] = [215, 25, 30]): Buffer {
  const png = new PNG({ width: size, height: size });
  const c = size / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const ink = (d < c - 2 && d > c - 14) || d < c / 4;
      const i = (y * size + x) * 4;
      png.data[i] = color[0];
      png.data[i + 1] = color[1];
      png.data[i + 2] = color[2];
      png.data[i + 3] = ink ? 230 : 0;
    }
  return PNG.sync.write(png);
}

/** How many strongly red pixels the rendered page has inside the box (page points, 72 per inch). */
function redPixels(
  pngFile: string,
  dpi: number,
  box: { x: number; y: number; w: number; h: number },
): number {
  const png = PNG.sync.read(readFileSync(pngFile));
  const k = dpi / 72;
  let red = 0;
  for (let y = Math.floor(box.y * k); y < Math.ceil((box.y + box.h) * k); y++)
    for (let x = Math.floor(box.x * k); x < Math.ceil((box.x + box.w) * k); x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i] > 170 && png.data[i + 1] < 110 && png.data[i + 2] < 110) red++;
    }
  return red;
}

// Where the default template prints the issuing unit's seal (templates/certificates/default.json, unitSeal).
const SEAL_BOX = { x: 510, y: 428, w: 84, h: 84 };

describe('certificate signers and seals per issuing unit', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let communes: string[];
  let program: { id: string; code: string };
  let lead: string;
  let province: TestUser;
  let commune: TestUser;
  const pdfTools = toolAvailable('pdftoppm', 'rendering certificates', 'poppler-utils');

  const download = async (http: Http, path: string) => {
    const res = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${http.token}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: Buffer.from(await res.arrayBuffer()),
    };
  };

  /** A class in `unitCode` whose one learner completed it, and the certificate issued to them. */
  async function certificateIn(unitCode: string, fullName: string): Promise<{ id: string; serial: string }> {
    const c = await createClass(t.http, program.id, lead, unitCode);
    const p = await createPerson(t.http, unitCode, { fullName, gender: 'female' });
    await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: p.id });
    for (const s of c.sessions.slice(0, 2))
      await t.http.put(`/api/v1/classes/${c.id}/sessions/${s.id}/attendance`, {
        marks: [{ personId: p.id, status: 'present' }],
      });
    const issued = await t.http.post(`/api/v1/classes/${c.id}/certificates`, {});
    expect([issued.status, issued.text]).toEqual([201, expect.any(String)]);
    return issued.body[0];
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { PUBLIC_URL: 'https://lantoa.thainguyen.gov.vn' } });
    communes = await communesOf(t, '19');
    program = await createProgram(t.http, {
      code: 'KY',
      certificate: {
        issuer: 'Ban Chỉ đạo Bình dân học AI tỉnh Thái Nguyên',
        signerTitle: 'Trưởng Ban Chỉ đạo',
        place: 'Thái Nguyên',
      },
    });
    lead = (await createTrainer(t.http, program.id, communes[0])).id;
    province = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
    commune = await createUser(t, [{ role: 'steering', unitCode: communes[0] }]);
  });
  afterAll(() => t.close());

  it('lets a steering committee set its own unit’s signer and seal, and no other unit’s', async () => {
    const seal = sealPng();
    const path = (unit: string) => `/api/v1/programs/${program.id}/certificate-signers/${unit}`;
    const saved = await commune.http.put(path(communes[0]), {
      issuer: 'Ủy ban nhân dân xã',
      signerTitle: 'Chủ tịch',
      signerName: 'Hà Văn Thắng',
      sealImage: seal.toString('base64'),
    });
    expect([saved.status, saved.text]).toEqual([200, expect.any(String)]);
    expect(saved.body).toMatchObject({
      unit: { code: communes[0] },
      issuer: 'Ủy ban nhân dân xã',
      signerTitle: 'Chủ tịch',
      signerName: 'Hà Văn Thắng',
      hasSeal: true,
    });
    // The seal comes back as it was sent.
    const image = await download(commune.http, `${path(communes[0])}/seal`);
    expect([image.status, image.type]).toEqual([200, 'image/png']);
    expect(image.body.equals(seal)).toBe(true);

    // Not the province above, not a sibling commune.
    for (const unit of ['19', communes[1]]) {
      const refused = await commune.http.put(path(unit), {
        signerTitle: 'Chủ tịch',
        signerName: 'Hà Văn Thắng',
      });
      expect([unit, refused.status, refused.body.code]).toEqual([unit, 403, 'OUT_OF_SCOPE']);
    }
    // A trainer does not configure certificates at all.
    const trainer = await createUser(t, [{ role: 'trainer', unitCode: communes[0] }]);
    expect((await trainer.http.get(`/api/v1/programs/${program.id}/certificate-signers`)).status).toBe(403);
    // Only PNG or JPEG.
    const text = await commune.http.put(path(communes[0]), {
      signerTitle: 'Chủ tịch',
      signerName: 'Hà Văn Thắng',
      sealImage: Buffer.from('không phải ảnh').toString('base64'),
    });
    expect([text.status, text.body.errors]).toEqual([
      400,
      [{ field: 'sealImage', reason: 'phải là ảnh PNG hoặc JPEG' }],
    ]);

    // The province sets its own (no seal); each committee lists what lies in its part of the map.
    expect(
      (
        await province.http.put(path('19'), {
          signerTitle: 'Phó Trưởng Ban Chỉ đạo',
          signerName: 'Lương Thị Hiền',
        })
      ).status,
    ).toBe(200);
    const listed = (await province.http.get(`/api/v1/programs/${program.id}/certificate-signers`)).body;
    expect(listed.map((s: any) => [s.unit.code, s.signerName, s.hasSeal])).toEqual([
      ['19', 'Lương Thị Hiền', false],
      [communes[0], 'Hà Văn Thắng', true],
    ]);
    const own = (await commune.http.get(`/api/v1/programs/${program.id}/certificate-signers`)).body;
    expect(own.map((s: any) => s.unit.code)).toEqual([communes[0]]);
    const audit = (await t.http.get('/api/v1/audit?action=certificate_signer.save&limit=50')).body.items;
    expect(audit).toHaveLength(2);
  });

  (pdfTools ? it : it.skip)(
    'prints the signer and seal of the nearest unit above the class, and keeps them on certificates already issued',
    async () => {
      // Issued in the commune with its own signer, and in a sibling commune (the province's signer applies).
      const own = await certificateIn(communes[0], 'Nông Thị Xuân');
      const sibling = await certificateIn(communes[1], 'Đinh Thị Mận');
      mkdirSync(artifacts, { recursive: true });
      const ownPdf = (await download(t.http, `/api/v1/certificates/${own.id}/pdf`)).body;
      const siblingPdf = (await download(t.http, `/api/v1/certificates/${sibling.id}/pdf`)).body;
      const ownText = pdfText(ownPdf);
      for (const expected of ['ỦY BAN NHÂN DÂN XÃ', 'CHỦ TỊCH', 'Hà Văn Thắng', 'Nông Thị Xuân'])
        expect([expected, ownText.includes(expected)]).toEqual([expected, true]);
      const siblingText = pdfText(siblingPdf);
      for (const expected of [
        'PHÓ TRƯỞNG BAN CHỈ ĐẠO',
        'Lương Thị Hiền',
        'BAN CHỈ ĐẠO BÌNH DÂN HỌC AI TỈNH THÁI NGUYÊN',
      ])
        expect([expected, siblingText.includes(expected)]).toEqual([expected, true]);
      expect(siblingText).not.toContain('Hà Văn Thắng');

      // The seal is drawn over the signature on the commune's certificate only.
      const ownPng = pdfToPng(ownPdf, join(artifacts, 'certificate-unit-seal.png'), 1, 60);
      const siblingPng = pdfToPng(siblingPdf, join(artifacts, 'certificate-province-signer.png'), 1, 60);
      expect(redPixels(ownPng, 60, SEAL_BOX)).toBeGreaterThan(300);
      expect(redPixels(siblingPng, 60, SEAL_BOX)).toBe(0);

      // The commune replaces its seal with a blue one and its signer: the certificate already issued keeps its own.
      const before = readFileSync(ownPng);
      const replaced = await commune.http.put(
        `/api/v1/programs/${program.id}/certificate-signers/${communes[0]}`,
        {
          signerTitle: 'Phó Chủ tịch',
          signerName: 'Sầm Văn Lực',
          sealImage: sealPng(160, [20, 40, 200]).toString('base64'),
        },
      );
      expect(replaced.status).toBe(200);
      const again = pdfToPng(
        (await download(t.http, `/api/v1/certificates/${own.id}/pdf`)).body,
        join(artifacts, 'certificate-unit-seal-again.png'),
        1,
        60,
      );
      expect(readFileSync(again).equals(before)).toBe(true);
      const next = await certificateIn(communes[0], 'Triệu Thị Nhung');
      const nextPdf = (await download(t.http, `/api/v1/certificates/${next.id}/pdf`)).body;
      expect(pdfText(nextPdf)).toContain('Sầm Văn Lực');
      const nextPng = pdfToPng(nextPdf, join(artifacts, 'certificate-unit-seal-new.png'), 1, 60);
      expect(redPixels(nextPng, 60, SEAL_BOX)).toBe(0);
    },
  );
});
