package mqctl.compat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Lite pull consumer: --mode subscribe (group rebalance, committed offsets) or assign (every queue of the topic,
 * seek to the beginning). Polls until the run is complete or --timeout seconds pass, then commits.
 */
public final class LitePullConsumer {
    private LitePullConsumer() {
    }

    public static void main(String[] argv) {
        ProgramMain.main("litePullConsumer", argv, LitePullConsumer::run);
    }

    private static int run(Args a, Map<String, Object> out) throws Exception {
        String namesrv = a.required("namesrv");
        String topic = a.required("topic");
        String run = a.required("run");
        String mode = a.str("mode", "subscribe");
        String group = a.str("group", "compat_litepull_" + mode + "_" + run);
        int expect = a.integer("expect", 0);
        int timeoutSec = a.integer("timeout", 60);
        out.put("mode", mode);
        out.put("run", run);
        out.put("topic", topic);
        out.put("group", group);
        out.put("expect", expect);

        Tracker tracker = new Tracker(run, expect, 0, false);
        if (a.flag("lenient-props")) {
            tracker.skipPropertyCheck();
        }
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(group);
        c.setNamesrvAddr(namesrv);
        c.setInstanceName("compat-" + run);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.setAutoCommit(false);
        int assigned = -1;
        if ("assign".equals(mode)) {
            c.start();
            Collection<MessageQueue> mqs = c.fetchMessageQueues(topic);
            c.assign(new ArrayList<>(mqs));
            for (MessageQueue mq : mqs) {
                c.seek(mq, 0);
            }
            assigned = mqs.size();
        } else {
            c.subscribe(topic, "*");
            c.start();
        }
        out.put("assignedQueues", assigned);
        long deadline = System.currentTimeMillis() + timeoutSec * 1000L;
        boolean complete = false;
        long polls = 0;
        while (System.currentTimeMillis() < deadline) {
            List<MessageExt> batch = c.poll(1000);
            polls++;
            for (MessageExt m : batch) {
                tracker.record("pull", m);
            }
            if (!batch.isEmpty()) {
                c.commitSync();
            }
            if (tracker.complete(1)) {
                complete = true;
                break;
            }
        }
        if (!complete) {
            tracker.error("timed out after " + timeoutSec + "s");
        }
        try {
            c.shutdown();
        } catch (Exception e) {
            tracker.error("shutdown: " + e);
        }
        out.put("complete", complete);
        out.put("polls", polls);
        tracker.fill(out);
        out.put("errors", tracker.errors);
        return 0;
    }
}
