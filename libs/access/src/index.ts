export * from './access.decorators';
export * from './access.errors';
export * from './policy';
export * from './principal';
