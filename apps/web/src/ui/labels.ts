/** A class's status as every page names it (a learner "completes"; a class "ends"). */
export const CLASS_STATUS: Record<string, string> = {
  draft: 'Nháp',
  scheduled: 'Đã lên lịch',
  in_progress: 'Đang học',
  completed: 'Đã kết thúc',
  cancelled: 'Đã hủy',
};
