import type { SendMessageHeader } from '../../../src/client/api.js';

export function toSendV2Fields(): SendMessageHeader {
  return {
    producerGroup: 'PG', topic: 'T', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 1, sysFlag: 0,
    bornTimestamp: 1700000000000, flag: 0, properties: 'WAIT\u0001true\u0002', reconsumeTimes: 0, unitMode: false,
    batch: false, brokerName: 'broker-a',
  };
}
