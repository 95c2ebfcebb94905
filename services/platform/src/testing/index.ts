export * from './memory-store.ts';
export * from './fake-sidecar.ts';
