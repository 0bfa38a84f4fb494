/**
 * Library entry (`import ... from 'mqctl'`): start servers in-process, and the building blocks a user's own
 * code and tests need.
 */
export { startStandalone, defaultStoreDir, type StandaloneOptions, type StandaloneHandle } from './standalone.js';
export { startBroker, loadBrokerConfig, type StartBrokerOptions, type BrokerHandle, type BrokerConfig } from './broker/index.js';
export { startNamesrv, type StartNamesrvOptions, type NamesrvHandle } from './namesrv/index.js';
export { RemotingClient } from './remoting/client.js';
export { RemotingCommand } from './remoting/command.js';
export { RequestCode, ResponseCode } from './protocol/codes.js';
export { createLogger, silentLogger, type Logger } from './common/logger.js';
export type { Message, MessageExt } from './common/message.js';
export {
  Producer,
  PushConsumer,
  TransactionProducer,
  createMessage,
  ConsumeConcurrentlyStatus,
  ConsumeOrderlyStatus,
  MQClientError,
  MQBrokerError,
  type ProducerOptions,
  type PushConsumerOptions,
  type SendResult,
  type MessageInit,
  type TransactionListener,
  type MessageListenerConcurrently,
  type MessageListenerOrderly,
} from './client/index.js';
export { MQAdmin } from './client/admin/admin.js';
