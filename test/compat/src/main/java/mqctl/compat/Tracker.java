package mqctl.compat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.common.message.MessageExt;

/** Consumer-side bookkeeping: what arrived, how often, in which order, for each consumer instance. */
final class Tracker {
    private final String run;
    private final int expect;
    private final long expectDelayMs;
    private final boolean perInstance;
    private boolean checkProperties = true;
    private final BitSet seen = new BitSet();
    private final Map<String, BitSet> seenBy = new HashMap<>();
    private final Map<String, Integer> lastKeySeq = new HashMap<>();
    private final List<Object> samples = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    private long deliveries;
    private long duplicates;
    private long orderViolations;
    private long delayViolations;
    private long propertyMismatches;
    private long corrupt;
    private long foreign;
    private long redelivered;

    /**
     * @param perInstance true for broadcasting: every instance must see every message, so duplicates and
     *                    completeness are judged per instance.
     */
    Tracker(String run, int expect, long expectDelayMs, boolean perInstance) {
        this.run = run;
        this.expect = expect;
        this.expectDelayMs = expectDelayMs;
        this.perInstance = perInstance;
    }

    /** Bodies written by other tools (mqctl send from stdin) carry no mqctlRun/mqctlSeq properties or keys. */
    void skipPropertyCheck() {
        checkProperties = false;
    }

    synchronized void record(String instance, MessageExt m) {
        boolean[] intact = new boolean[1];
        Payload p = Payload.decode(m.getBody(), intact);
        if (p == null || !run.equals(p.run)) {
            foreign++;
            return;
        }
        deliveries++;
        if (!intact[0]) {
            corrupt++;
        }
        if (checkProperties && (!run.equals(m.getUserProperty(Payload.RUN_PROPERTY))
            || !String.valueOf(p.seq).equals(m.getUserProperty(Payload.SEQ_PROPERTY))
            || m.getKeys() == null || !m.getKeys().contains(p.messageKey()))) {
            propertyMismatches++;
        }
        if (m.getReconsumeTimes() > 0) {
            redelivered++;
        }
        if (expectDelayMs > 0 && System.currentTimeMillis() - m.getBornTimestamp() < expectDelayMs - 250) {
            delayViolations++;
        }
        BitSet mine = seenBy.computeIfAbsent(instance, k -> new BitSet());
        BitSet dupScope = perInstance ? mine : seen;
        if (dupScope.get(p.seq)) {
            duplicates++;
        } else {
            String orderScope = instance + "/" + p.orderKey;
            Integer last = lastKeySeq.get(orderScope);
            if (last != null && p.keySeq < last) {
                orderViolations++;
            }
            lastKeySeq.put(orderScope, last == null ? p.keySeq : Math.max(last, p.keySeq));
        }
        seen.set(p.seq);
        mine.set(p.seq);
        if (samples.size() < 3) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("msgId", m.getMsgId());
            s.put("topic", m.getTopic());
            s.put("queueId", m.getQueueId());
            s.put("queueOffset", m.getQueueOffset());
            s.put("keys", m.getKeys());
            s.put("tags", m.getTags());
            s.put("reconsumeTimes", m.getReconsumeTimes());
            samples.add(s);
        }
    }

    synchronized void error(String e) {
        if (errors.size() < 20) {
            errors.add(e);
        }
    }

    /** Done when every expected sequence number was seen (by every instance when broadcasting). */
    synchronized boolean complete(int instances) {
        if (expect <= 0) {
            return false;
        }
        if (!perInstance) {
            return seen.cardinality() >= expect;
        }
        if (seenBy.size() < instances) {
            return false;
        }
        for (BitSet b : seenBy.values()) {
            if (b.cardinality() < expect) {
                return false;
            }
        }
        return true;
    }

    synchronized void fill(Map<String, Object> out) {
        out.put("received", deliveries);
        out.put("distinct", seen.cardinality());
        out.put("duplicates", duplicates);
        out.put("orderViolations", orderViolations);
        out.put("delayViolations", delayViolations);
        out.put("propertyMismatches", propertyMismatches);
        out.put("corrupt", corrupt);
        out.put("redelivered", redelivered);
        out.put("foreign", foreign);
        Map<String, Object> per = new LinkedHashMap<>();
        for (Map.Entry<String, BitSet> e : seenBy.entrySet()) {
            per.put(e.getKey(), e.getValue().cardinality());
        }
        out.put("perInstance", per);
        List<Object> missing = new ArrayList<>();
        for (int i = 0; i < expect && missing.size() < 10; i++) {
            if (!seen.get(i)) {
                missing.add(i);
            }
        }
        out.put("missingSample", missing);
        out.put("samples", samples);
    }
}
