import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, asApiError, data, download } from '../api';
import { ExcelFileField, formatNumber, ImportProblem } from '../ui';
import type { OrganisationRef } from './organisation';

/**
 * Registering the organisation's staff from Excel: download the template, fill it, preview (nothing is
 * written; every bad row is listed with its row number), then write all rows at once — or none.
 */
export function StaffImport({ organisation }: { organisation: OrganisationRef }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [templateError, setTemplateError] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: async (dryRun: boolean) => {
      const form = new FormData();
      form.append('file', file!);
      return data(
        api.POST('/api/v1/organisations/{id}/staff/import', {
          params: { path: { id: organisation.id }, query: { dryRun } },
          body: form as never,
          bodySerializer: (b: unknown) => b as FormData,
        }),
      );
    },
    onSuccess: async (result) => {
      if (result.dryRun) return;
      await queryClient.invalidateQueries({ queryKey: ['people'] });
      await queryClient.invalidateQueries({ queryKey: ['organisation-figures'] });
    },
  });
  const result = send.data;
  return (
    <div className="staff-import">
      <p>
        Điền danh sách vào biểu mẫu (mỗi người một dòng), tải lên để <strong>xem trước</strong>, rồi ghi.
        Người đã có trên hệ thống (cùng CCCD, hoặc cùng họ tên, năm sinh, xã và số điện thoại) không được tạo
        lại: họ được gắn vào đơn vị của bạn, trừ khi đang thuộc một cơ quan, đơn vị khác.
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() =>
            void download(
              `/api/v1/organisations/${organisation.id}/staff/import/template`,
              'danh-sach-nhan-su.xlsx',
            ).catch((e: unknown) => setTemplateError(asApiError(e).message))
          }
        >
          Tải biểu mẫu Excel
        </button>
      </div>
      {templateError && (
        <p className="form-error" role="alert">
          {templateError}
        </p>
      )}
      <ExcelFileField
        onFile={(f) => {
          setFile(f);
          send.reset();
        }}
      />
      <div className="form-actions">
        <button
          type="button"
          className="button secondary"
          disabled={!file || send.isPending}
          onClick={() => send.mutate(true)}
        >
          Xem trước
        </button>
        {result?.dryRun && result.created + result.attached > 0 && (
          <button
            type="button"
            className="button primary"
            disabled={send.isPending}
            onClick={() => send.mutate(false)}
          >
            Ghi {formatNumber(result.created + result.attached)} người vào danh sách
          </button>
        )}
      </div>
      {result && (
        <p className="notice" role="status">
          {result.dryRun ? 'Xem trước (chưa ghi)' : 'Đã ghi'}: {formatNumber(result.rows)} dòng —{' '}
          {formatNumber(result.created)} người mới, {formatNumber(result.attached)} người đã có được gắn vào
          đơn vị, {formatNumber(result.existing)} người đã thuộc đơn vị (giữ nguyên)
          {result.elsewhere > 0 &&
            `, ${formatNumber(result.elsewhere)} người đang thuộc cơ quan, đơn vị khác (giữ nguyên)`}
          .
        </p>
      )}
      <ImportProblem error={send.error} />
    </div>
  );
}
