export * from './file-store';
export * from './file-store.settings';
export * from './fs-file-store';
export * from './hashing-meter';
export * from './s3-file-store';
