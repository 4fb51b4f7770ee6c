import { useSearchParams } from 'react-router';
import type { Schemas } from '../api';
import { useMe } from '../auth';
import { usePrograms } from '../campaign';

export type OrganisationRef = { id: string; name: string };
export type Report = Schemas['ReportDto'];

/**
 * The organisation a department head's pages are about (the one in the URL, or the first they head) and the
 * program (likewise): a head of two organisations switches between them without losing the other choices.
 */
export function useOrganisationContext() {
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const programs = usePrograms();
  const organisations: OrganisationRef[] = (me.data?.assignments ?? [])
    .filter((a) => a.role === 'department_head' && a.organisation)
    .map((a) => a.organisation!);
  const organisation = organisations.find((o) => o.id === params.get('org')) ?? organisations[0] ?? null;
  const program =
    programs.data?.items.find((p) => p.id === params.get('program')) ?? programs.data?.items[0] ?? null;
  function change(patch: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  }
  return {
    organisations,
    organisation,
    program,
    programs: programs.data?.items ?? [],
    loading: me.isPending || programs.isPending,
    error: me.error ?? programs.error,
    change,
  };
}

export const REPORT_STATUS: Record<string, [string, string]> = {
  draft: ['Bản nháp', 'badge'],
  submitted: ['Đang chờ duyệt', 'badge'],
  approved: ['Đã duyệt', 'badge ok'],
  returned: ['Bị trả lại', 'badge bad'],
};
