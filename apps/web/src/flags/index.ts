export * from './queries';
export { SplitTable } from './SplitTable';
export { TrainerSplitTable } from './TrainerSplitTable';
