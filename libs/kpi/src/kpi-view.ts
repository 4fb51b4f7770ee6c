/** How KPI figures attribute records to units: as recorded, or on today's map. */
export const KPI_VIEWS = ['recorded', 'current'] as const;
export type KpiView = (typeof KPI_VIEWS)[number];

export const VIEW_LABELS: Record<KpiView, string> = {
  recorded: 'theo địa bàn tại thời điểm ghi nhận',
  current: 'theo địa giới hành chính hiện nay',
};
