// What other libraries, the apps and the tests use of libs/trainers; everything else stays inside it.
export {
  PACE_WINDOW_DAYS,
  behindScheduleSql,
  computePace,
  daysUntil,
  isBehindSchedule,
  lastFourWeeksSql,
} from './pace';
export { TrainerRefDto } from './trainer.dto';
export { TRAINER_ENTITIES, TRAINER_TIERS, TrainerEntity } from './trainer.entity';
export type { TrainerTier } from './trainer.entity';
export { TrainerService } from './trainer.service';
export { TrainersModule } from './trainers.module';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export { ReachRepository } from './reach.repository';
export type { ReachChange } from './reach.repository';
export { TrainerRepository } from './trainer.repository';
