export * from './exit-codes.js';
export * from './print.js';
export * from './style.js';
export * from './confirm.js';
export * from './parse.js';
export * from './format.js';
