/**
 * Broker -> name servers (semantics.md §13): REGISTER_BROKER to every name server in parallel at start, every
 * registerNameServerPeriod (clamped 10–60 s), and at once after topic changes; UNREGISTER_BROKER at shutdown.
 * The body carries all topic configs with perm masked by brokerPermission, plus the topic data version.
 */
import type { Logger } from '../common/logger.js';
import { bodyCrc } from '../common/crc32.js';
import { RequestCode } from '../protocol/codes.js';
import { RegisterBrokerRequestHeader, UnRegisterBrokerRequestHeader } from '../protocol/namesrv.js';
import { type TopicConfig, encodeRegisterBrokerBody } from '../protocol/route.js';
import { RemotingCommand } from '../remoting/command.js';
import { RemotingClient } from '../remoting/client.js';
import type { BrokerConfig } from './config.js';
import type { TopicConfigManager } from './topic-config-manager.js';

export function parseNamesrvAddrs(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface RegistrationOptions {
  config: BrokerConfig;
  topics: TopicConfigManager;
  brokerAddr: string;
  haServerAddr: string;
  logger: Logger;
}

export class NamesrvRegistration {
  readonly client: RemotingClient;
  private timer?: NodeJS.Timeout;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly o: RegistrationOptions) {
    this.client = new RemotingClient({ logger: o.logger, connectTimeoutMs: 3000 });
  }

  addrs(): string[] {
    return parseNamesrvAddrs(this.o.config.namesrvAddr);
  }

  /** Periodic registration; the first round is done by the caller (start). */
  startPeriodic(): void {
    const period = Math.min(60000, Math.max(10000, this.o.config.registerNameServerPeriod));
    this.timer = setInterval(() => void this.registerNow(), period);
    this.timer.unref();
  }

  /**
   * Register to all name servers. Concurrent calls coalesce: while a round runs, one more round is queued so
   * the last topic change always reaches the name servers.
   */
  registerNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    const round = async (): Promise<void> => {
      do {
        this.again = false;
        await this.registerAll();
      } while (this.again && !this.stopped);
    };
    this.inFlight = round().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private topicTable(): Record<string, TopicConfig> {
    const table = this.o.topics.tableSnapshot();
    const bp = this.o.config.brokerPermission;
    // a broker without R or W registers every topic with that bit cleared (semantics.md §1)
    if ((bp & 6) !== 6) for (const tc of Object.values(table)) tc.perm &= bp;
    return table;
  }

  private async registerAll(): Promise<void> {
    const addrs = this.addrs();
    if (addrs.length === 0) return;
    const c = this.o.config;
    const body = encodeRegisterBrokerBody({
      topicConfigSerializeWrapper: { topicConfigTable: this.topicTable(), dataVersion: this.o.topics.dataVersion },
      filterServerList: [],
    });
    const fields = RegisterBrokerRequestHeader.toFields({
      brokerName: c.brokerName,
      brokerAddr: this.o.brokerAddr,
      clusterName: c.brokerClusterName,
      haServerAddr: this.o.haServerAddr,
      brokerId: c.brokerId,
      heartbeatTimeoutMillis: 120000,
      enableActingMaster: false,
      compressed: false,
      bodyCrc32: bodyCrc(body),
    });
    await Promise.all(
      addrs.map(async (addr) => {
        const req = RemotingCommand.createRequest(RequestCode.REGISTER_BROKER, fields, body);
        try {
          const res = await this.client.invoke(addr, req, c.registerBrokerTimeoutMills);
          if (res.code !== 0) this.o.logger.warn(`register broker to name server ${addr} failed: code ${res.code} ${res.remark ?? ''}`);
          else this.o.logger.debug(`registered to name server ${addr}`);
        } catch (e) {
          this.o.logger.warn(`register broker to name server ${addr} failed: ${(e as Error).message}`);
        }
      }),
    );
  }

  /** Stop the timer and tell every name server we are gone. */
  async unregisterAll(timeoutMs = 3000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    const c = this.o.config;
    const fields = UnRegisterBrokerRequestHeader.toFields({
      brokerName: c.brokerName,
      brokerAddr: this.o.brokerAddr,
      clusterName: c.brokerClusterName,
      brokerId: c.brokerId,
    });
    await Promise.all(
      this.addrs().map(async (addr) => {
        try {
          await this.client.invoke(addr, RemotingCommand.createRequest(RequestCode.UNREGISTER_BROKER, fields), timeoutMs);
          this.o.logger.info(`unregistered from name server ${addr}`);
        } catch (e) {
          this.o.logger.warn(`unregister broker from name server ${addr} failed: ${(e as Error).message}`);
        }
      }),
    );
    this.client.close();
  }
}
