// Public client API: producers, push and lite-pull consumers, and the pieces they are built from.
//
//   const p = new Producer({ namesrvAddr: '127.0.0.1:9876', group: 'PG' });
//   await p.start();
//   const r = await p.send(createMessage({ topic: 'T', body: 'hi', tags: 'A', keys: 'k1' }));
//   const c = new PushConsumer({ namesrvAddr: '127.0.0.1:9876', group: 'CG' });
//   c.subscribe('T', 'A || B');
//   c.registerMessageListener((msgs) => 'CONSUME_SUCCESS');
//   await c.start();
//   ...
//   await c.shutdown(); await p.shutdown();   // then the process can exit: no timers or sockets remain
export { MQClientInstance, type ConsumerInner, type ProducerInner } from './instance.js';
export { MQClientAPI, type SendStatus, type PullStatus, type PullResponse, type SendResponse } from './api.js';
export { type ClientOptions, buildClientId, resolveClientOptions } from './config.js';
export { MQClientError, MQBrokerError } from './errors.js';
export { TopicPublishInfo, toPublishInfo, toSubscribeInfo } from './route.js';
export { mqKey, compareMq, type MessageQueue } from './message-queue.js';
export { Producer, type ProducerOptions, type SendResult, type TransactionCheckHandler, type TransactionCheckRequest } from './producer/producer.js';
export { createMessage, type MessageInit } from './producer/message.js';
export { encodeBatch, decodeBatch } from './producer/batch.js';
export { selectByHash, selectRandom, type MessageQueueSelector } from './producer/selector.js';
export { PushConsumer, type PushConsumerOptions } from './consumer/push-consumer.js';
export { allocateAveragely, allocateAveragelyByCircle, allocateStrategyByName, type AllocateStrategy } from './consumer/allocate.js';
export { buildSubscriptionData, filterByTags } from './consumer/subscription.js';
export { RemoteBrokerOffsetStore, type OffsetStore } from './consumer/offset-store.js';
export { LocalFileOffsetStore } from './consumer/local-offset-store.js';
export * from './consumer/types.js';
export { TransactionProducer, type TransactionListener, type LocalTransactionState, type TransactionSendResult, type TransactionProducerOptions } from './producer/transaction-producer.js';
export { sendWithTransactionOutcome, parseTransactionOutcome, type TransactionOutcome } from './producer/transaction-outcome.js';
export { LitePullConsumer, type LitePullConsumerOptions } from './consumer/lite-pull-consumer.js';
