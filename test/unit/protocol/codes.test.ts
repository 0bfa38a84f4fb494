import { describe, expect, it } from 'vitest';
import {
  RequestCode,
  ResponseCode,
  describeRequestCode,
  requestCodeName,
  requestCodeOf,
  responseCodeName,
  responseCodeOf,
} from '../../../src/protocol/codes.js';

describe('request/response code tables', () => {
  it('has the numbers of requests.md §1', () => {
    expect(RequestCode.SEND_MESSAGE).toBe(10);
    expect(RequestCode.SEND_MESSAGE_V2).toBe(310);
    expect(RequestCode.SEND_BATCH_MESSAGE).toBe(320);
    expect(RequestCode.REGISTER_BROKER).toBe(103);
    expect(RequestCode.GET_ROUTEINFO_BY_TOPIC).toBe(105);
    expect(RequestCode.GET_KVLIST_BY_NAMESPACE).toBe(219);
    expect(RequestCode.QUERY_DATA_VERSION).toBe(322);
    expect(RequestCode.ADD_WRITE_PERM_OF_BROKER).toBe(327);
    expect(RequestCode.LITE_PULL_MESSAGE).toBe(361);
    expect(RequestCode.POP_MESSAGE).toBe(200050);
    expect(RequestCode.BATCH_ACK_MESSAGE).toBe(200151);
    expect(RequestCode.CONTROLLER_APPLY_BROKER_ID).toBe(1013);
  });

  it('has the numbers of requests.md §2', () => {
    expect(ResponseCode.TOPIC_NOT_EXIST).toBe(17);
    expect(ResponseCode.QUERY_NOT_FOUND).toBe(22);
    expect(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST).toBe(26);
    expect(ResponseCode.CONSUMER_NOT_ONLINE).toBe(206);
    expect(ResponseCode.GO_AWAY).toBe(1500);
    expect(ResponseCode.RPC_TIME_OUT).toBe(-1006);
  });

  it('codes are unique within each table', () => {
    const req = Object.values(RequestCode);
    expect(new Set(req).size).toBe(req.length);
    const resp = Object.values(ResponseCode);
    expect(new Set(resp).size).toBe(resp.length);
  });

  it('looks names up both ways', () => {
    expect(requestCodeName(105)).toBe('GET_ROUTEINFO_BY_TOPIC');
    expect(requestCodeName(99999)).toBeUndefined();
    expect(requestCodeOf('get_routeinfo_by_topic')).toBe(105);
    expect(requestCodeOf('310')).toBe(310);
    expect(requestCodeOf('NOPE')).toBeUndefined();
    expect(responseCodeName(17)).toBe('TOPIC_NOT_EXIST');
    expect(responseCodeName(209)).toBe('POLLING_FULL');
    expect(responseCodeName(209, { legacy: true })).toBe('UPDATE_AND_CREATE_ACL_CONFIG_FAILED');
    expect(responseCodeOf('no_permission')).toBe(16);
    expect(describeRequestCode(34)).toBe('HEART_BEAT(34)');
    expect(describeRequestCode(4242)).toBe('4242');
  });
});
