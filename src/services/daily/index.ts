// Daily case studies: posting and closing (post.ts), schedules (schedule.ts), the forms and facts of a
// prompt (forms.ts). The public use-cases, bound whole by services/index.ts.
export { findPromptForForm, promptFacts, todayFacts } from './forms.ts';
export {
  catchUpPosts,
  chooseDaily,
  closeDaily,
  closeJobId,
  type DailyUnit,
  dailyScheduleId,
  type PostOutcome,
  postDaily,
  showToday,
  sweepOverdue,
} from './post.ts';
export {
  disableSchedule,
  reconcileDaily,
  type ScheduleInput,
  schedulesLost,
  setFilter,
  setMode,
  setSchedule,
} from './schedule.ts';
