/** Small helpers shared by the broker processors: Apache's FAQ suffixes and toString forms used in remarks. */
import { perm2String } from '../../common/perm.js';
import type { TopicConfig } from '../../protocol/route.js';

const FAQ = 'https://rocketmq.apache.org/docs/bestPractice/06FAQ';

/** the FAQUrl suffix Apache appends: "\nSee <url> for further details." */
export function faqHint(url: string = FAQ): string {
  return `\nSee ${url} for further details.`;
}

export const APPLY_TOPIC_FAQ = faqHint();
export const SUBSCRIPTION_GROUP_FAQ = faqHint();

/** TopicConfig.toString(), as it appears in Apache's remarks. */
export function formatTopicConfig(tc: TopicConfig): string {
  const attrs = Object.entries(tc.attributes ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
  return `TopicConfig [topicName=${tc.topicName}, readQueueNums=${tc.readQueueNums}, writeQueueNums=${tc.writeQueueNums}, perm=${perm2String(tc.perm)}, topicFilterType=${tc.topicFilterType}, topicSysFlag=${tc.topicSysFlag}, order=${tc.order}, attributes={${attrs}}]`;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** UtilAll.timeMillisToHumanString2: "yyyy-MM-dd HH:mm:ss,SSS" in local time. */
export function timeMillisToHumanString(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}
