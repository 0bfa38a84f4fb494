/**
 * Manual store maintenance: CLEAN_EXPIRED_CONSUMEQUEUE (306), DELETE_EXPIRED_COMMITLOG (329) and
 * CLEAN_UNUSED_TOPIC (316).
 * requests.md §6, storage.md §12.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { fail, ok } from './util.js';

export function cleanExpiredConsumeQueue(deps: AdminDeps): Processor {
  return async (_req, channel) => {
    deps.logger.info(`cleanExpiredConsumeQueue requested by ${channel.remoteAddr}`);
    try {
      await deps.store.cleanExpiredConsumeQueue();
    } catch (e) {
      return fail(ResponseCode.SYSTEM_ERROR, e instanceof Error ? e.message : String(e));
    }
    return ok();
  };
}

export function deleteExpiredCommitLog(deps: AdminDeps): Processor {
  return async (_req, channel) => {
    deps.logger.warn(`deleteExpiredCommitLog requested by ${channel.remoteAddr}`);
    await deps.store.deleteExpiredFilesManually();
    return ok();
  };
}

/** CLEAN_UNUSED_TOPIC (316): drop consume queues of topics that have no config any more. */
export function cleanUnusedTopic(deps: AdminDeps): Processor {
  return async (_req, channel) => {
    deps.logger.warn(`cleanUnusedTopic requested by ${channel.remoteAddr}`);
    await deps.store.cleanUnusedTopic(Object.keys(deps.topics.table()));
    return ok();
  };
}
