/**
 * Topic admin codes: UPDATE_AND_CREATE_TOPIC (17) and its list form (18), DELETE_TOPIC_IN_BROKER (215),
 * GET_ALL_TOPIC_CONFIG (21), GET_TOPIC_CONFIG (351), GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305).
 * requests.md §6, semantics.md §2. A change is registered to the name servers before the answer.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import { encodeTopicConfigWrapper, newTopicConfig, topicConfigFromJson, topicConfigToJson, type TopicConfig } from '../../../protocol/route.js';
import { asArray, encodeJson, parseObjectBody } from '../../../protocol/body.js';
import { encodeTopicList } from '../../../protocol/admin.js';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC, CHECKPOINT_TOPIC, RMQ_SYS_BENCHMARK_TOPIC, RMQ_SYS_OFFSET_MOVED_EVENT,
  RMQ_SYS_SCHEDULE_TOPIC, RMQ_SYS_SELF_TEST_TOPIC, RMQ_SYS_TRACE_TOPIC, RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC, getRetryTopic, isSystemTopic, validateTopic,
} from '../../../common/topics.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { CreateTopicRequestHeader, TopicOnlyHeader } from './headers.js';
import { alterAttributes, parseAttributeModification } from './topic-attributes.js';
import { fail, isBlank, ok } from './util.js';

const FILTER_TYPES = new Set(['SINGLE_TAG', 'MULTI_TAG']);

function conflictRemark(topic: string): string {
  return `The topic[${topic}] is conflict with system topic.`;
}

function sameTopicConfig(a: TopicConfig, b: TopicConfig | undefined): boolean {
  if (!b) return false;
  const ak = Object.keys(a.attributes);
  const bk = Object.keys(b.attributes ?? {});
  return a.readQueueNums === b.readQueueNums && a.writeQueueNums === b.writeQueueNums && a.perm === b.perm &&
    a.topicFilterType === b.topicFilterType && a.topicSysFlag === b.topicSysFlag && a.order === b.order &&
    ak.length === bk.length && ak.every((k) => a.attributes[k] === b.attributes[k]);
}

/**
 * Upper bound on a topic's queue counts. Apache has none; per-queue admin loops (stats, consume stats) run
 * on the event loop here, so a topic of 2^31 queues sent by a bad request would stall the broker.
 */
export const MAX_TOPIC_QUEUE_NUMS = 65535;

function refuseQueueNums(tc: TopicConfig) {
  for (const [name, n] of [['readQueueNums', tc.readQueueNums], ['writeQueueNums', tc.writeQueueNums]] as const) {
    if (!Number.isInteger(n) || n < 0 || n > MAX_TOPIC_QUEUE_NUMS) {
      return fail(ResponseCode.INVALID_PARAMETER, `${name} ${n} of topic ${tc.topicName} is not within [0, ${MAX_TOPIC_QUEUE_NUMS}]`);
    }
  }
  return undefined;
}

/** Name checks shared by the single and list forms: a response when the name is refused. */
function refuseTopicName(topic: string | undefined) {
  const invalid = validateTopic(topic);
  if (invalid) return fail(ResponseCode.INVALID_PARAMETER, invalid);
  if (isSystemTopic(topic!)) return fail(ResponseCode.INVALID_PARAMETER, conflictRemark(topic!));
  return undefined;
}

/** `requested.attributes` holds the modification ("+k" -> v, "-k" -> ""); undefined when it changes nothing. */
function finalTopicConfig(deps: AdminDeps, requested: TopicConfig): TopicConfig | undefined {
  const current = deps.topics.get(requested.topicName);
  if (sameTopicConfig(requested, current)) return undefined;
  return { ...requested, attributes: alterAttributes(current === undefined, current?.attributes ?? {}, requested.attributes) };
}

async function registerAfterChange(deps: AdminDeps): Promise<void> {
  try {
    await deps.registerToNamesrvNow();
  } catch (e) {
    deps.logger.warn(`register after topic change failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function updateAndCreateTopic(deps: AdminDeps): Processor {
  return async (req, channel) => {
    // Java checks the filter type while decoding the header (CreateTopicRequestHeader.checkFields).
    const filter = req.field('topicFilterType');
    if (filter === undefined) return fail(ResponseCode.SYSTEM_ERROR, 'Name is null');
    if (!FILTER_TYPES.has(filter)) return fail(ResponseCode.SYSTEM_ERROR, `No enum constant org.apache.rocketmq.common.TopicFilterType.${filter}`);

    const topic = req.field('topic');
    const refused = refuseTopicName(topic);
    if (refused) return refused;

    const h = decodeRequired(CreateTopicRequestHeader, req.extFields);
    const requested = newTopicConfig(topic!, {
      readQueueNums: h.readQueueNums,
      writeQueueNums: h.writeQueueNums,
      perm: h.perm,
      topicFilterType: filter as TopicConfig['topicFilterType'],
      topicSysFlag: h.topicSysFlag ?? 0,
      order: h.order ?? false,
      attributes: parseAttributeModification(h.attributes),
    });
    if (requested.attributes['+message.type'] === 'MIXED') {
      return fail(ResponseCode.INVALID_PARAMETER, 'MIXED message type is not supported.');
    }
    const badQueues = refuseQueueNums(requested);
    if (badQueues) return badQueues;
    // Idempotent: an identical request changes nothing and registers nothing.
    const finalConfig = finalTopicConfig(deps, requested);
    if (!finalConfig) return ok();
    await deps.topics.put(finalConfig);
    deps.logger.info(`topic ${topic} created/updated by ${channel.remoteAddr}: r=${finalConfig.readQueueNums} w=${finalConfig.writeQueueNums} perm=${finalConfig.perm}`);
    await registerAfterChange(deps);
    return ok();
  };
}

/**
 * UPDATE_AND_CREATE_TOPIC_LIST (18, 5.3): body {"topicConfigList":[TopicConfig...]}, attributes given as
 * modifications ("+k":"v"). Every name is checked before anything changes; unchanged topics are skipped
 * (Apache stops at the first unchanged one and leaves the rest of the list unapplied; we apply the rest).
 */
export function updateAndCreateTopicList(deps: AdminDeps): Processor {
  return async (req, channel) => {
    const o = parseObjectBody(req.body ?? Buffer.alloc(0), 'CreateTopicListRequestBody');
    const list = asArray(o.topicConfigList).map((x) => topicConfigFromJson(x));
    for (const tc of list) {
      const refused = refuseTopicName(tc.topicName);
      if (refused) return refused;
      if (tc.attributes['+message.type'] === 'MIXED') return fail(ResponseCode.INVALID_PARAMETER, 'MIXED message type is not supported.');
      const badQueues = refuseQueueNums(tc);
      if (badQueues) return badQueues;
    }
    const changed: TopicConfig[] = [];
    for (const tc of list) {
      const f = finalTopicConfig(deps, tc);
      if (f) changed.push(f);
    }
    for (const tc of changed) await deps.topics.put(tc);
    if (changed.length > 0) {
      deps.logger.info(`topics ${changed.map((t) => t.topicName).join(';')} created/updated by ${channel.remoteAddr}`);
      await registerAfterChange(deps);
    }
    return ok();
  };
}

export function deleteTopicInBroker(deps: AdminDeps): Processor {
  return async (req, channel) => {
    const topic = req.field('topic');
    if (isBlank(topic)) return fail(ResponseCode.INVALID_PARAMETER, 'The specified topic is blank.');
    if (isSystemTopic(topic!)) return fail(ResponseCode.INVALID_PARAMETER, conflictRemark(topic!));

    // POP retry topics of the groups that consumed this topic go with it (clearRetryTopicWhenDeleteTopic).
    const toClean = [topic!];
    for (const group of deps.offsets.groupsOf(topic!)) {
      for (const retry of [`${getRetryTopic(group)}+${topic}`, `${getRetryTopic(group)}_${topic}`]) {
        if (deps.topics.get(retry)) toClean.push(retry);
      }
    }
    for (const t of toClean) {
      await deps.topics.remove(t);
      await deps.offsets.removeTopic(t);
      await deps.store.deleteTopics([t]);
    }
    deps.logger.info(`topic ${toClean.join(',')} deleted by ${channel.remoteAddr}`);
    return ok();
  };
}

export function getAllTopicConfig(deps: AdminDeps): Processor {
  return () => {
    const table = deps.topics.table();
    const body = encodeTopicConfigWrapper({ topicConfigTable: table, dataVersion: deps.topics.dataVersion() });
    return ok(body, { totalTopicNum: Object.keys(table).length });
  };
}

export function getTopicConfig(deps: AdminDeps): Processor {
  return (req) => {
    const { topic } = decodeRequired(TopicOnlyHeader, req.extFields);
    const tc = deps.topics.get(topic!);
    if (!tc) return fail(ResponseCode.TOPIC_NOT_EXIST, `No topic in this broker. topic: ${topic}`);
    // TopicConfigAndQueueMapping: the topic config members (+ mappingDetail, null for non-static topics).
    return ok(encodeJson(topicConfigToJson(tc)));
  };
}

/** Apache TopicValidator's built-in system topics; start-up topics are found in the table. */
const BUILTIN_SYSTEM_TOPICS = [
  AUTO_CREATE_TOPIC_KEY_TOPIC, RMQ_SYS_SCHEDULE_TOPIC, RMQ_SYS_BENCHMARK_TOPIC, RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRACE_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC, RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT, CHECKPOINT_TOPIC,
];

export function getSystemTopicListFromBroker(deps: AdminDeps): Processor {
  return () => {
    const set = new Set(BUILTIN_SYSTEM_TOPICS);
    for (const t of Object.keys(deps.topics.table())) if (isSystemTopic(t)) set.add(t);
    return ok(encodeTopicList({ topicList: [...set].sort() }));
  };
}
