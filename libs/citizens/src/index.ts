// What other libraries, the apps and the tests use of libs/citizens; everything else stays inside it.
export { CitizensModule } from './citizens.module';
