/**
 * VIEW_BROKER_STATS_DATA (315, `mqadmin statsAll`): BrokerStatsData {statsMinute, statsHour, statsDay} of
 * one stats item. Items: TOPIC_PUT_NUMS (key topic), GROUP_GET_NUMS (key topic@group), BROKER_PUT_NUMS /
 * BROKER_GET_NUMS (key cluster name). The broker counts totals since start and rates over the last minute:
 * the minute snapshot is exact; hour and day sums are the total since start while the broker has run less
 * than that window, else the total scaled to the window.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import { encodeBrokerStatsData, type BrokerStatsItem } from '../../../protocol/admin.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { ViewBrokerStatsDataRequestHeader } from './headers.js';
import { fail, ok } from './util.js';

interface Counter {
  total: number;
  tps60: number;
}

function counterOf(deps: AdminDeps, name: string, key: string): Counter | undefined {
  const st = deps.stats;
  switch (name) {
    case 'TOPIC_PUT_NUMS':
      return { total: st.topicPutTotal?.(key) ?? 0, tps60: st.topicPutTps?.(key, 60) ?? 0 };
    case 'GROUP_GET_NUMS': {
      const at = key.indexOf('@');
      if (at < 0) return undefined;
      const topic = key.slice(0, at);
      const group = key.slice(at + 1);
      return { total: st.groupGetTotal?.(group, topic) ?? 0, tps60: st.groupGetTps?.(group, topic, 60) ?? 0 };
    }
    case 'BROKER_PUT_NUMS':
      return key === deps.clusterName ? { total: st.msgPutTotalTodayNow?.() ?? 0, tps60: st.putTps?.(60) ?? 0 } : undefined;
    case 'BROKER_GET_NUMS':
      return key === deps.clusterName ? { total: st.msgGetTotalTodayNow?.() ?? 0, tps60: st.getTransferredTps?.(60) ?? 0 } : undefined;
    default:
      return undefined;
  }
}

function windowItem(c: Counter, windowSec: number, uptimeSec: number): BrokerStatsItem {
  const span = Math.max(1, Math.min(windowSec, uptimeSec));
  const sum = windowSec === 60 ? Math.round(c.tps60 * span) : Math.round(uptimeSec <= windowSec ? c.total : (c.total * windowSec) / uptimeSec);
  return { sum, tps: windowSec === 60 ? c.tps60 : sum / span, avgpt: 0 };
}

export function viewBrokerStatsData(deps: AdminDeps): Processor {
  return (req) => {
    const h = decodeRequired(ViewBrokerStatsDataRequestHeader, req.extFields);
    const c = counterOf(deps, h.statsName!, h.statsKey!);
    // Apache has no stats item for a key nothing was ever counted under
    if (!c || c.total === 0) return fail(ResponseCode.SYSTEM_ERROR, `The stats <${h.statsName}> <${h.statsKey}> not exist`);
    const uptimeSec = Math.max(1, Math.floor((Date.now() - deps.startTime) / 1000));
    return ok(encodeBrokerStatsData({
      statsMinute: windowItem(c, 60, uptimeSec),
      statsHour: windowItem(c, 3600, uptimeSec),
      statsDay: windowItem(c, 86400, uptimeSec),
    }));
  };
}
