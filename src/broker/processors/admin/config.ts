/**
 * Broker configuration over the wire: GET_BROKER_CONFIG (26) answers every key as Java properties text
 * (sorted, `key=value\n`, MixAll.properties2String) with the config DataVersion JSON in header `version`;
 * UPDATE_BROKER_CONFIG (25) applies properties text, refusing black-listed keys. requests.md §6.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import { parseJavaProperties, stringifyJavaProperties } from '../../../protocol/java-properties.js';
import { encodeDataVersion } from '../../../protocol/route.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { fail, ok } from './util.js';

/** Keys never updatable remotely (Apache AdminBrokerProcessor.initConfigBlackList + `configBlackList`). */
export function configBlackList(deps: AdminDeps): Set<string> {
  const set = new Set(['brokerConfigPath', 'rocketmqHome', 'configBlackList']);
  const configured = String(deps.config.properties().configBlackList ?? 'configBlackList;brokerConfigPath');
  for (const k of configured.split(';')) set.add(k);
  return set;
}

export function getBrokerConfig(deps: AdminDeps): Processor {
  return () => {
    const text = stringifyJavaProperties(deps.config.properties());
    const version = encodeDataVersion(deps.config.dataVersion()).toString('utf8');
    return ok(text.length > 0 ? Buffer.from(text, 'utf8') : undefined, { version });
  };
}

export function updateBrokerConfig(deps: AdminDeps): Processor {
  return async (req, channel) => {
    if (!req.body || req.body.length === 0) return ok();
    const props = parseJavaProperties(req.body.toString('utf8'));
    const black = configBlackList(deps);
    if (Object.keys(props).some((k) => black.has(k))) {
      return fail(ResponseCode.NO_PERMISSION, 'Can not update config in black list.');
    }
    await deps.config.update(props);
    deps.logger.info(`broker config updated by ${channel.remoteAddr}: ${Object.keys(props).join(',')}`);
    if (Object.prototype.hasOwnProperty.call(props, 'brokerPermission')) {
      // the name server must re-read every topic's (masked) perm: new data version, register at once
      await deps.topics.bumpDataVersion();
      try {
        await deps.registerToNamesrvNow();
      } catch (e) {
        deps.logger.warn(`register after brokerPermission change failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return ok();
  };
}
