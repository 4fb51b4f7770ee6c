export {
  campaignSearch,
  periodOptions,
  unitQuery,
  programsQuery,
  useCampaign,
  usePrograms,
  type Campaign,
  type KpiView,
  type Program,
} from './campaign';
export { CampaignPage } from './CampaignPage';
export { ContextBar } from './ContextBar';
export { QueryProblem } from './NoAccess';
