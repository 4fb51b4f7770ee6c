import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, data, type Schemas } from '../api';
import { hasRole, useMe } from '../auth';
import { formatNumber, Page, TextField } from '../ui';
import { asForm, ImportPanel, multipart, TemplateButton } from './ImportPanel';
import './admin.css';

function PeopleImport() {
  const queryClient = useQueryClient();
  return (
    <ImportPanel<Schemas['PeopleImportResultDto']>
      id="import-people"
      title="Người học"
      intro={
        <p>
          Mỗi người một dòng. Người đã có trên hệ thống (cùng CCCD, hoặc cùng họ tên, năm sinh, xã và số điện
          thoại) không bị tạo lại; người có thể trùng được đưa vào danh sách rà soát trùng lặp.
        </p>
      }
      template={
        <TemplateButton
          label="Tải biểu mẫu người học"
          path="/api/v1/people/import/template"
          file="danh-sach-nguoi-hoc.xlsx"
        />
      }
      send={(file, dryRun) =>
        data(
          api.POST('/api/v1/people/import', {
            params: { query: { dryRun } },
            body: asForm(file) as never,
            ...multipart,
          }),
        )
      }
      summary={(r) =>
        `${formatNumber(r.rows)} dòng — ${formatNumber(r.created)} người mới, ${formatNumber(r.existing)} người đã có (không tạo lại).`
      }
      commitLabel={(r) => (r.created > 0 ? `Ghi ${formatNumber(r.created)} người mới` : null)}
      onCommitted={() => void queryClient.invalidateQueries({ queryKey: ['people'] })}
    />
  );
}

function UnitsImport() {
  const queryClient = useQueryClient();
  const [province, setProvince] = useState('');
  const valid = /^\d{2}$/.test(province);
  return (
    <ImportPanel<Schemas['UnitImportResultDto']>
      id="import-units"
      title="Đơn vị hành chính"
      intro={
        <p>
          Thêm đơn vị mới (tỉnh, thành phố; xã, phường, đặc khu) hoặc sửa tên đơn vị đang có. Tên đầy đủ bắt
          đầu bằng loại đơn vị, ví dụ “Xã Đồng Hỷ”. Sáp nhập, chia tách và chuyển đơn vị sang tỉnh khác làm ở
          trang Đơn vị hành chính, nơi xem trước được số liệu dịch chuyển.
        </p>
      }
      template={
        <>
          <TextField
            label="Mã tỉnh, thành phố để điền sẵn (không bắt buộc)"
            inputMode="numeric"
            maxLength={2}
            hint="Biểu mẫu có sẵn tỉnh và các xã, phường của tỉnh để sửa; để trống: biểu mẫu trống."
            value={province}
            onChange={(e) => setProvince(e.target.value.trim())}
            error={province && !valid ? 'Mã tỉnh, thành phố có 2 chữ số' : undefined}
          />
          <TemplateButton
            label={valid ? `Tải biểu mẫu đơn vị của tỉnh mã ${province}` : 'Tải biểu mẫu đơn vị hành chính'}
            path={`/api/v1/units/import/template${valid ? `?province=${province}` : ''}`}
            file={`don-vi-hanh-chinh${valid ? `-${province}` : ''}.xlsx`}
          />
        </>
      }
      send={(file, dryRun) =>
        data(
          api.POST('/api/v1/units/import', {
            params: { query: { dryRun } },
            body: asForm(file) as never,
            ...multipart,
          }),
        )
      }
      summary={(r) =>
        `${formatNumber(r.rows)} dòng — ${formatNumber(r.created)} đơn vị mới, ${formatNumber(r.updated)} đơn vị đổi tên, ${formatNumber(r.unchanged)} giữ nguyên.`
      }
      commitLabel={(r) =>
        r.created + r.updated > 0
          ? `Ghi ${formatNumber(r.created)} đơn vị mới, ${formatNumber(r.updated)} đổi tên`
          : null
      }
      onCommitted={() => void queryClient.invalidateQueries({ queryKey: ['units'] })}
    />
  );
}

/**
 * Imports from Excel for administrators: people and administrative units, each previewed with a dry run and
 * its row errors before anything is written. (Population figures are imported on their own page; an
 * organisation's staff list on the organisation's.)
 */
export default function ImportsPage() {
  const me = useMe();
  return (
    <Page title="Nhập dữ liệu từ Excel">
      <p className="lead" data-ready={me.data ? 'true' : undefined}>
        Tải biểu mẫu, điền, tải lên để kiểm tra: mọi dòng lỗi được liệt kê theo số dòng và không có gì được
        ghi. Khi tệp không còn lỗi, bấm ghi: tất cả các dòng được ghi cùng lúc, hoặc không dòng nào.
      </p>
      <PeopleImport />
      {hasRole(me.data, 'admin') && <UnitsImport />}
    </Page>
  );
}
