export * from './citizens.module';
