export * from './clock';
export * from './errors';
export * from './ids';
export * from './masking';
export * from './canonical-json';
export * from './forbidden-addresses';
