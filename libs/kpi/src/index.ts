// What other libraries, the apps and the tests use of libs/kpi; everything else stays inside it.
export { EXCEL_MAX_ROWS, KpiWorkbook } from './kpi-workbook';
export { KPI_ENTITIES } from './kpi.entities';
export { KpiModule } from './kpi.module';
export { KpiService } from './kpi.service';
export { formatPercent } from './percent';
export { parsePeriod } from './period';
export { ReportService } from './report.service';
export type { ReportListener } from './report.service';
export { apportion } from './target.service';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export { KpiFactsRepository } from './kpi-facts.repository';
