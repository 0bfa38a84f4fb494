package mqctl.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Push consumer in --mode concurrent, orderly or broadcast, with --instances consumers in one group.
 * Clustering: the instances together must see every message of the run; broadcasting: each must see all.
 * --retry-first N answers RECONSUME_LATER (concurrent) the first time seq < N is seen, to exercise send-back.
 * Stops when complete (plus --linger ms to catch duplicates) or after --timeout seconds.
 */
public final class PushConsumer {
    private PushConsumer() {
    }

    public static void main(String[] argv) {
        ProgramMain.main("pushConsumer", argv, PushConsumer::run);
    }

    /**
     * MessageModel moved from org.apache.rocketmq.common.protocol.heartbeat (4.x) to
     * org.apache.rocketmq.remoting.protocol.heartbeat (5.x); the setter is the same, so reach it by reflection.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setBroadcasting(DefaultMQPushConsumer c) throws Exception {
        Class<?> model;
        try {
            model = Class.forName("org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel");
        } catch (ClassNotFoundException e) {
            model = Class.forName("org.apache.rocketmq.common.protocol.heartbeat.MessageModel");
        }
        Object broadcasting = Enum.valueOf((Class) model, "BROADCASTING");
        DefaultMQPushConsumer.class.getMethod("setMessageModel", model).invoke(c, broadcasting);
    }

    private static int run(Args a, Map<String, Object> out) throws Exception {
        String namesrv = a.required("namesrv");
        String topic = a.required("topic");
        String run = a.required("run");
        String mode = a.str("mode", "concurrent");
        String group = a.str("group", "compat_push_" + mode + "_" + run);
        String tagExpr = a.str("tag", "*");
        int expect = a.integer("expect", 0);
        int instances = a.integer("instances", 1);
        int timeoutSec = a.integer("timeout", 60);
        int lingerMs = a.integer("linger", 1000);
        int retryFirst = a.integer("retry-first", 0);
        long expectDelayMs = a.integer("expect-delay-ms", 0);
        boolean broadcast = "broadcast".equals(mode);
        out.put("mode", mode);
        out.put("run", run);
        out.put("topic", topic);
        out.put("group", group);
        out.put("expect", expect);
        out.put("instances", instances);

        final Tracker tracker = new Tracker(run, expect, expectDelayMs, broadcast);
        if (a.flag("lenient-props")) {
            tracker.skipPropertyCheck();
        }
        final Map<String, Boolean> retried = new ConcurrentHashMap<>();
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            final String instance = "compat-" + run + "-" + i;
            DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
            c.setNamesrvAddr(namesrv);
            c.setInstanceName(instance);
            c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            if (broadcast) {
                setBroadcasting(c);
            }
            c.subscribe(topic, tagExpr);
            if ("orderly".equals(mode)) {
                c.registerMessageListener(new MessageListenerOrderly() {
                    @Override
                    public ConsumeOrderlyStatus consumeMessage(List<MessageExt> msgs, ConsumeOrderlyContext ctx) {
                        for (MessageExt m : msgs) {
                            tracker.record(instance, m);
                        }
                        return ConsumeOrderlyStatus.SUCCESS;
                    }
                });
            } else {
                c.registerMessageListener(new MessageListenerConcurrently() {
                    @Override
                    public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> msgs,
                                                                    ConsumeConcurrentlyContext ctx) {
                        for (MessageExt m : msgs) {
                            String seq = m.getUserProperty(Payload.SEQ_PROPERTY);
                            if (retryFirst > 0 && seq != null && Integer.parseInt(seq) < retryFirst
                                && m.getReconsumeTimes() == 0 && retried.putIfAbsent(seq, Boolean.TRUE) == null) {
                                // Hand the whole batch back once: the broker must redeliver with reconsumeTimes 1
                                // (after delay level 1, 1 s, rather than the default 10 s).
                                ctx.setDelayLevelWhenNextConsume(1);
                                return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                            }
                        }
                        for (MessageExt m : msgs) {
                            tracker.record(instance, m);
                        }
                        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                    }
                });
            }
            c.start();
            consumers.add(c);
        }

        long deadline = System.currentTimeMillis() + timeoutSec * 1000L;
        boolean complete = false;
        while (System.currentTimeMillis() < deadline) {
            if (tracker.complete(instances)) {
                complete = true;
                break;
            }
            Thread.sleep(100);
        }
        if (complete && lingerMs > 0) {
            Thread.sleep(lingerMs);
        }
        if (!complete) {
            tracker.error("timed out after " + timeoutSec + "s");
        }
        for (DefaultMQPushConsumer c : consumers) {
            try {
                c.shutdown();
            } catch (Exception e) {
                tracker.error("shutdown: " + e);
            }
        }
        out.put("complete", complete);
        out.put("retriedOnPurpose", retried.size());
        tracker.fill(out);
        out.put("errors", tracker.errors);
        return 0;
    }
}
