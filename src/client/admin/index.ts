export { MQAdmin } from './admin.js';
export { MQAdminCore, TOOLS_CONSUMER_GROUP, type MQAdminOptions, type PullResult } from './core.js';
export { AdminError, NotFoundError, describeFailure } from './errors.js';
export { splitNamesrv } from './transport.js';
export type { TopicSpec, TopicStatus, TopicQueueStatus, TopicTarget } from './topics.js';
export type { GroupSpec, GroupInfo, ConsumerProgress, QueueProgress } from './groups.js';
export type { KeyQuery, PrintRange, ResendResult } from './messages.js';
export { isOffsetMsgId } from './messages.js';
export type { ResetTarget, ResetPlan, ResetResult, QueueReset } from './offsets.js';
