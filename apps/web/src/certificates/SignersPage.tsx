import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api, asApiError, data, type Schemas } from '../api';
import { hasRole, useMe } from '../auth';
import { usePrograms } from '../campaign';
import { Empty, ErrorState, FormError, Loading, Page, SelectField, TextField } from '../ui';

type Signer = Schemas['CertificateSignerDto'];

/** The file as base64 (without the data: prefix), as the API takes a seal image. */
function base64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve(typeof reader.result === 'string' ? reader.result.replace(/^data:[^,]*,/, '') : '');
    reader.onerror = () => reject(reader.error ?? new Error('FileReader'));
    reader.readAsDataURL(file);
  });
}

/** The unit's seal as the certificate prints it, fetched with the session's token. */
function Seal({ programId, unitCode, version }: { programId: string; unitCode: string; version: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    void api
      .GET('/api/v1/programs/{id}/certificate-signers/{unitCode}/seal', {
        params: { path: { id: programId, unitCode } },
        parseAs: 'blob',
      })
      .then(({ data: blob }) => {
        if (blob) {
          made = URL.createObjectURL(blob);
          setUrl(made);
        }
      });
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [programId, unitCode, version]);
  return url ? <img className="seal-preview" src={url} alt={`Con dấu của đơn vị mã ${unitCode}`} /> : null;
}

/**
 * Who signs the certificates a unit issues, under which issuing body's name, and the unit's seal: a steering
 * committee sets them for its unit (or a unit below it). Certificates issued from then on print them;
 * those already issued keep what they were issued with.
 */
export default function SignersPage() {
  const me = useMe();
  const programs = usePrograms();
  const program = programs.data?.items[0];
  const units = me.data?.assignments.filter((a) => a.role === 'steering' && a.unit).map((a) => a.unit!) ?? [];
  const admin = hasRole(me.data, 'admin');
  const signers = useQuery({
    queryKey: ['certificate-signers', program?.id],
    enabled: !!program,
    queryFn: () =>
      data(api.GET('/api/v1/programs/{id}/certificate-signers', { params: { path: { id: program!.id } } })),
  });
  const [unitCode, setUnitCode] = useState('');
  const unit = unitCode || units[0]?.code || '';
  const current = signers.data?.find((s) => s.unit.code === unit);

  if (programs.isPending || me.isPending) return <Loading />;
  if (programs.isError) return <ErrorState error={programs.error} />;
  if (!program)
    return (
      <Page title="Chữ ký trên giấy chứng nhận">
        <Empty>Chưa có chương trình nào.</Empty>
      </Page>
    );
  return (
    <Page title="Chữ ký trên giấy chứng nhận">
      <p className="muted">
        Chương trình {program.name}. Giấy chứng nhận của một lớp in người ký và con dấu của đơn vị gần lớp
        nhất đã được đặt (xã, rồi tỉnh); chưa đặt thì dùng người ký của chương trình. Giấy đã cấp giữ nguyên
        người ký và con dấu lúc cấp.
      </p>
      {signers.isPending && <Loading />}
      {signers.isError && <ErrorState error={signers.error} />}
      {signers.data && (
        <div data-ready="true">
          <h2>Đã đặt</h2>
          {signers.data.length ? (
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Người ký theo đơn vị">
              <table className="data">
                <caption className="sr-only">Người ký theo đơn vị cấp giấy</caption>
                <thead>
                  <tr>
                    <th scope="col">Đơn vị</th>
                    <th scope="col">Cơ quan cấp</th>
                    <th scope="col">Người ký</th>
                    <th scope="col">Con dấu</th>
                  </tr>
                </thead>
                <tbody>
                  {signers.data.map((s) => (
                    <tr key={s.unit.code}>
                      <td>{s.unit.fullName}</td>
                      <td>{s.issuer ?? 'Như của chương trình'}</td>
                      <td>
                        {s.signerTitle}: {s.signerName}
                      </td>
                      <td>
                        {s.hasSeal ? (
                          <Seal programId={program.id} unitCode={s.unit.code} version={s.updatedAt} />
                        ) : (
                          'Chưa có'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty>Chưa đơn vị nào đặt người ký riêng.</Empty>
          )}
          <h2>Đặt người ký và con dấu</h2>
          {admin ? (
            <TextField
              label="Mã đơn vị cấp giấy"
              inputMode="numeric"
              value={unitCode}
              onChange={(e) => setUnitCode(e.target.value.trim())}
              hint="Mã tỉnh (2 chữ số) hoặc mã xã (5 chữ số)"
            />
          ) : units.length > 1 ? (
            <SelectField label="Đơn vị cấp giấy" value={unit} onChange={(e) => setUnitCode(e.target.value)}>
              {units.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.fullName}
                </option>
              ))}
            </SelectField>
          ) : (
            units[0] && (
              <p>
                Đơn vị cấp giấy: <strong>{units[0].fullName}</strong>
              </p>
            )
          )}
          <SignerForm key={unit} programId={program.id} unit={unit} current={current} />
        </div>
      )}
    </Page>
  );
}

/** The form for one unit, filled with what is set for it (a new unit or a saved change starts it afresh). */
function SignerForm({ programId, unit, current }: { programId: string; unit: string; current?: Signer }) {
  const client = useQueryClient();
  const [issuer, setIssuer] = useState(current?.issuer ?? '');
  const [signerTitle, setSignerTitle] = useState(current?.signerTitle ?? '');
  const [signerName, setSignerName] = useState(current?.signerName ?? '');
  const [seal, setSeal] = useState<File | null>(null);
  const [removeSeal, setRemoveSeal] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: async () =>
      data(
        api.PUT('/api/v1/programs/{id}/certificate-signers/{unitCode}', {
          params: { path: { id: programId, unitCode: unit } },
          body: {
            issuer: issuer.trim() || null,
            signerTitle,
            signerName,
            ...(seal ? { sealImage: await base64(seal) } : {}),
            ...(removeSeal ? { removeSeal: true } : {}),
          },
        }),
      ),
    // The table above is refetched before the message says it is saved, so the two never disagree.
    onSuccess: async (s: Signer) => {
      await client.invalidateQueries({ queryKey: ['certificate-signers'] });
      setSaved(`Đã lưu người ký cho ${s.unit.fullName}. Giấy chứng nhận cấp từ nay dùng thông tin này.`);
    },
  });
  const problem = save.error ? asApiError(save.error) : null;
  return (
    <form
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        setSaved(null);
        save.mutate();
      }}
      noValidate
      className="signer-form"
    >
      <TextField
        label="Cơ quan cấp (không bắt buộc)"
        value={issuer}
        onChange={(e) => setIssuer(e.target.value)}
        hint="Ví dụ: Ủy ban nhân dân xã …; bỏ trống thì dùng tên của chương trình"
        error={problem?.field('issuer')}
      />
      <div className="form-row">
        <TextField
          label="Chức vụ người ký"
          value={signerTitle}
          onChange={(e) => setSignerTitle(e.target.value)}
          error={problem?.field('signerTitle')}
        />
        <TextField
          label="Họ và tên người ký"
          value={signerName}
          onChange={(e) => setSignerName(e.target.value)}
          error={problem?.field('signerName')}
        />
      </div>
      <TextField
        label="Ảnh con dấu (PNG hoặc JPEG, tối đa 300 KB)"
        type="file"
        accept="image/png,image/jpeg"
        onChange={(e) => setSeal(e.target.files?.[0] ?? null)}
        hint={current?.hasSeal ? 'Bỏ trống để giữ con dấu đang dùng' : 'Nên dùng ảnh PNG nền trong suốt'}
        error={problem?.field('sealImage')}
      />
      {current?.hasSeal && (
        <label className="check">
          <input type="checkbox" checked={removeSeal} onChange={(e) => setRemoveSeal(e.target.checked)} /> Bỏ
          con dấu (giấy không in con dấu của đơn vị)
        </label>
      )}
      <FormError message={problem && !problem.fields.length ? problem.message : null} />
      {saved && (
        <p role="status" className="notice">
          {saved}
        </p>
      )}
      <button type="submit" className="button primary" disabled={save.isPending || !unit}>
        Lưu
      </button>
    </form>
  );
}
