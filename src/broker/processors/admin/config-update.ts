/**
 * UPDATE_BROKER_CONFIG applied to the live BrokerConfig, the way Apache's Configuration.update does it:
 * a value that does not parse for its field is ignored (MixAll.properties2Object swallows it), the rest is
 * applied, and when the broker was started with a config file (-c) the new values are written back into that
 * file so they survive a restart (Apache persists to brokerConfigPath).
 */
import fs from 'node:fs';
import type { Logger } from '../../../common/logger.js';
import { parseJavaProperties, stringifyJavaProperties } from '../../../protocol/java-properties.js';
import { applyProperties, isKnownConfigKey, parseConfigValue, type BrokerConfig } from '../../config.js';
import { writeConfigFileAtomic } from '../../config-file.js';

export function applyConfigUpdate(cfg: BrokerConfig, props: Record<string, string>, logger: Logger): Record<string, string> {
  const accepted: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    if (isKnownConfigKey(k)) {
      try {
        parseConfigValue(k, v);
      } catch (e) {
        logger.warn(`UPDATE_BROKER_CONFIG: ${(e as Error).message}; ignored`);
        continue;
      }
    }
    accepted[k] = v;
  }
  applyProperties(cfg, accepted, logger, 'UPDATE_BROKER_CONFIG');
  if (cfg.configFile) persistToConfigFile(cfg.configFile, accepted, logger);
  return accepted;
}

/** Merge the updated keys into the start-up config file (other keys kept). */
function persistToConfigFile(file: string, updated: Record<string, string>, logger: Logger): void {
  try {
    const current = fs.existsSync(file) ? parseJavaProperties(fs.readFileSync(file, 'utf8')) : {};
    writeConfigFileAtomic(file, stringifyJavaProperties({ ...current, ...updated }));
  } catch (e) {
    logger.error(`persist broker config to ${file} failed: ${(e as Error).message}`);
  }
}
