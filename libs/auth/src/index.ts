export * from './auth.module';
export * from './development-keys';
export * from './jwt';
export * from './principal';
