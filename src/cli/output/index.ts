export * from './exit-codes.js';
export * from './print.js';
export * from './style.js';
