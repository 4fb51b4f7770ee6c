// What other libraries, the apps and the tests use of libs/demo; everything else stays inside it.
export { DemoSeedService } from './demo-seed.service';
export { DemoModule } from './demo.module';
export { SeededRandom } from './random';
export { PeopleGenerator } from './vietnamese-people';
