// What other libraries, the apps and the tests use of libs/flags; everything else stays inside it.
export { FlagDetector } from './flag-detector';
export { FLAG_ENTITIES } from './flag.entities';
export { FlagsModule } from './flags.module';
