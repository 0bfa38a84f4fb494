/** The broker program: `startBroker` plus what embedders and the CLI need. */
export { startBroker, type StartBrokerOptions, type BrokerHandle } from './broker.js';
export { loadBrokerConfig, defaultBrokerConfig, configToProperties, type BrokerConfig } from './config.js';
export type { BrokerContext } from './context.js';
