/** Topic and group naming rules (semantics.md §2). */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const LMQ_PREFIX = '%LMQ%';
export const SYSTEM_TOPIC_PREFIX = 'rmq_sys_';

export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';
export const RMQ_SYS_SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';
export const RMQ_SYS_BENCHMARK_TOPIC = 'BenchmarkTest';
export const RMQ_SYS_TRANS_HALF_TOPIC = 'RMQ_SYS_TRANS_HALF_TOPIC';
export const RMQ_SYS_TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
export const RMQ_SYS_TRANS_OP_HALF_TOPIC = 'RMQ_SYS_TRANS_OP_HALF_TOPIC';
export const RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC = 'TRANS_CHECK_MAX_TIME_TOPIC';
export const RMQ_SYS_SELF_TEST_TOPIC = 'SELF_TEST_TOPIC';
export const RMQ_SYS_OFFSET_MOVED_EVENT = 'OFFSET_MOVED_EVENT';
export const CHECKPOINT_TOPIC = 'CHECKPOINT_TOPIC';

export const TOPIC_MAX_LENGTH = 127;
export const RETRY_TOPIC_MAX_LENGTH = 255;
export const GROUP_MAX_LENGTH = 120;

const BUILTIN_SYSTEM_TOPICS = new Set([
  AUTO_CREATE_TOPIC_KEY_TOPIC, RMQ_SYS_SCHEDULE_TOPIC, RMQ_SYS_BENCHMARK_TOPIC, RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRACE_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC, RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT, CHECKPOINT_TOPIC,
]);

/** Topics a producer may not send to (→ response code 16). */
const NOT_ALLOWED_SEND = new Set([
  RMQ_SYS_SCHEDULE_TOPIC, RMQ_SYS_TRANS_HALF_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC, RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC, RMQ_SYS_OFFSET_MOVED_EVENT,
]);

const extraSystemTopics = new Set<string>();

/** Topics added at broker start-up (cluster name, broker name, reply topic) count as system topics too. */
export function addSystemTopic(topic: string): void {
  extraSystemTopics.add(topic);
}

export function isSystemTopic(topic: string): boolean {
  return BUILTIN_SYSTEM_TOPICS.has(topic) || extraSystemTopics.has(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX);
}

export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND.has(topic);
}

const NAME_RE = /^[%|a-zA-Z0-9_-]+$/;

/** Returns an error text, or null when the topic name is valid. */
export function validateTopic(topic: string | null | undefined): string | null {
  if (!topic) return 'The specified topic is blank.';
  if (!NAME_RE.test(topic)) return `The specified topic[${topic}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`;
  const max = isRetryTopic(topic) || isDLQTopic(topic) ? RETRY_TOPIC_MAX_LENGTH : TOPIC_MAX_LENGTH;
  if (topic.length > max) return `The specified topic is longer than topic max length ${max}.`;
  return null;
}

export function validateGroup(group: string | null | undefined): string | null {
  if (!group) return 'the specified group is blank';
  if (!NAME_RE.test(group)) return `the specified group[${group}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`;
  if (group.length > GROUP_MAX_LENGTH) return `the specified group is longer than group max length ${GROUP_MAX_LENGTH}.`;
  return null;
}

export function getRetryTopic(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}
export function getDLQTopic(group: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + group;
}
export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}
export function isDLQTopic(topic: string): boolean {
  return topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}
export function isLmqTopic(topic: string): boolean {
  return topic.startsWith(LMQ_PREFIX);
}
/** Group name of a %RETRY%/%DLQ% topic, or null. */
export function groupOfRetryOrDLQ(topic: string): string | null {
  if (isRetryTopic(topic)) return topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
  if (isDLQTopic(topic)) return topic.slice(DLQ_GROUP_TOPIC_PREFIX.length);
  return null;
}
