/**
 * Subscription group admin codes: UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200) and its list form (225),
 * DELETE_SUBSCRIPTIONGROUP (207), GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201), GET_SUBSCRIPTIONGROUP_CONFIG (352).
 * requests.md §6, semantics.md §3.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import {
  decodeSubscriptionGroupConfig,
  encodeSubscriptionGroupConfig,
  encodeSubscriptionGroupWrapper,
  subscriptionGroupConfigFromJson,
} from '../../../protocol/admin.js';
import { asArray, parseObjectBody } from '../../../protocol/body.js';
import { validateGroup } from '../../../common/topics.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { DeleteSubscriptionGroupRequestHeader, GroupOnlyHeader } from './headers.js';
import { fail, ok } from './util.js';

export function updateAndCreateSubscriptionGroup(deps: AdminDeps): Processor {
  return async (req, channel) => {
    // No body: Java decodes null and answers SUCCESS without doing anything.
    if (!req.body || req.body.length === 0) return ok();
    const cfg = decodeSubscriptionGroupConfig(req.body);
    const invalid = validateGroup(cfg.groupName);
    if (invalid) return fail(ResponseCode.INVALID_PARAMETER, invalid);
    await deps.groups.put(cfg);
    deps.logger.info(`subscription group ${cfg.groupName} created/updated by ${channel.remoteAddr}`);
    return ok();
  };
}

/** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (225, 5.3.1): body {"groupConfigList":[...]}; all names checked first. */
export function updateAndCreateSubscriptionGroupList(deps: AdminDeps): Processor {
  return async (req, channel) => {
    const o = parseObjectBody(req.body ?? Buffer.alloc(0), 'SubscriptionGroupList');
    const list = asArray(o.groupConfigList).map((x) => subscriptionGroupConfigFromJson(x));
    for (const cfg of list) {
      const invalid = validateGroup(cfg.groupName);
      if (invalid) return fail(ResponseCode.INVALID_PARAMETER, invalid);
    }
    for (const cfg of list) await deps.groups.put(cfg);
    deps.logger.info(`subscription groups ${list.map((g) => g.groupName).join(';')} created/updated by ${channel.remoteAddr}`);
    return ok();
  };
}

export function deleteSubscriptionGroup(deps: AdminDeps): Processor {
  return async (req, channel) => {
    const h = decodeRequired(DeleteSubscriptionGroupRequestHeader, req.extFields);
    await deps.groups.remove(h.groupName!);
    if (h.cleanOffset || h.removeOffset) await deps.offsets.removeGroup(h.groupName!);
    deps.logger.info(`subscription group ${h.groupName} deleted by ${channel.remoteAddr}`);
    return ok();
  };
}

export function getAllSubscriptionGroupConfig(deps: AdminDeps): Processor {
  return () => {
    const table = deps.groups.table();
    const body = encodeSubscriptionGroupWrapper({
      subscriptionGroupTable: table,
      dataVersion: deps.groups.dataVersion(),
      forbiddenTable: deps.groups.forbiddenTable(),
    });
    return ok(body, { totalGroupNum: Object.keys(table).length });
  };
}

export function getSubscriptionGroupConfig(deps: AdminDeps): Processor {
  return (req) => {
    const { group } = decodeRequired(GroupOnlyHeader, req.extFields);
    const cfg = deps.groups.get(group!);
    if (!cfg) return fail(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, 'No group in this broker');
    return ok(encodeSubscriptionGroupConfig(cfg));
  };
}
