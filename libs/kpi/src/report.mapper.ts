import { ReportApprovalStepDto, ReportDto } from './report.dto';
import { ReportRow } from './report.repository';

export const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A report as the API shows it, with its approval chain (see ReportChains.steps). */
export function toReportDto(r: ReportRow, chain?: ReportApprovalStepDto[]): ReportDto {
  return {
    id: r.id,
    programId: r.programId,
    period: r.period,
    unit: { code: r.unitCode, fullName: r.unitName },
    organisation: r.organisationId ? { id: r.organisationId, name: r.organisationName ?? '' } : null,
    status: r.status,
    headcount: r.headcount,
    trained: r.trained,
    proficient: r.proficient,
    indicators: r.indicators,
    notes: r.notes,
    authorName: r.authorName,
    submittedAt: iso(r.submittedAt),
    reviewerName: r.reviewerName,
    reviewedAt: iso(r.reviewedAt),
    reviewComment: r.reviewComment,
    locked: r.status === 'approved',
    updatedAt: new Date(r.updatedAt).toISOString(),
    recordFigures: r.recordFigures,
    approvals: chain ?? [],
  };
}
