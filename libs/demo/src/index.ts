export * from './demo.module';
export * from './demo-seed.service';
export * from './random';
export * from './vietnamese-people';
