export * from './catalog.ts';
export * from './events.ts';
export * from './shop-api.ts';
export * from './notifications.ts';
export * from './dead-letters.ts';
export * from './order-trace.ts';
export * from './rules.ts';
