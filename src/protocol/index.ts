/** The protocol floor: request/response codes, typed headers <-> extFields, and the JSON bodies. */
export * from './codes.js';
export * from './header.js';
export * from './body.js';
export * from './rpc.js';
export * from './java-properties.js';
export * from './route.js';
export * from './namesrv.js';
export * from './send.js';
export * from './pull.js';
export * from './offset.js';
export * from './heartbeat.js';
export * from './admin.js';
export * from './admin-headers.js';
export * from './transaction.js';
export * from './query.js';
export * from './client.js';
export * from './pop.js';
