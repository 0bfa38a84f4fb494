import type { Channel } from '../../remoting/server.js';

/** One client connection as the producer/consumer tables know it (Apache ClientChannelInfo). */
export interface ClientChannelInfo {
  channel: Channel;
  clientId: string;
  /** LanguageCode name, e.g. "JAVA". */
  language: string;
  /** MQVersion ordinal the client speaks. */
  version: number;
  /** Last heartbeat, ms. */
  lastUpdate: number;
}
