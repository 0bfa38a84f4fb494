package mqctl.compat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Sends --count messages of one run in one --mode: sync, async, oneway, batch, ordered, delayed, transactional.
 * Prints one JSON line: how many were acknowledged, how many a consumer should see ("expected"), samples of
 * send results (for the admin cells), errors.
 *
 * Transactional: seq%3==0 commits at once, seq%3==1 answers UNKNOW and commits on the broker's check-back,
 * seq%3==2 rolls back. "expected" counts the first two kinds.
 */
public final class Producer {
    private Producer() {
    }

    public static void main(String[] argv) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        out.put("program", "producer");
        int code = 0;
        long started = System.currentTimeMillis();
        try {
            code = run(new Args(argv), out, errors);
        } catch (Throwable t) {
            errors.add("fatal: " + t);
            code = 1;
        }
        out.put("elapsedMs", System.currentTimeMillis() - started);
        out.put("errors", errors);
        System.out.println(Json.write(out));
        System.out.flush();
        // The Java client keeps non-daemon threads; leave explicitly.
        Runtime.getRuntime().halt(code);
    }

    private static int run(Args a, Map<String, Object> out, List<String> errors) throws Exception {
        String namesrv = a.required("namesrv");
        String topic = a.required("topic");
        String mode = a.str("mode", "sync");
        String run = a.str("run", Long.toString(System.currentTimeMillis(), 36));
        int count = a.integer("count", 100);
        int size = a.integer("size", 128);
        int orderKeys = a.integer("order-keys", 8);
        int batchSize = a.integer("batch-size", 16);
        int delayLevel = a.integer("delay-level", 1);
        String tag = a.str("tag", "TagA");
        String group = a.str("group", "compat_producer_" + mode + "_" + run);
        int timeoutMs = a.integer("send-timeout-ms", 5000);
        int checkWaitSec = a.integer("check-wait", 60);
        // Async sends in flight at once: an unbounded burst of thousands overruns the client's own buffers.
        final java.util.concurrent.Semaphore inflight = new java.util.concurrent.Semaphore(a.integer("inflight", 512));
        out.put("mode", mode);
        out.put("run", run);
        out.put("topic", topic);
        out.put("attempted", count);

        final AtomicInteger checks = new AtomicInteger();
        final Map<String, Boolean> pendingChecks = new ConcurrentHashMap<>();
        DefaultMQProducer producer;
        if ("transactional".equals(mode)) {
            TransactionMQProducer tp = new TransactionMQProducer(group);
            tp.setTransactionListener(new TransactionListener() {
                @Override
                public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                    int seq = Integer.parseInt(msg.getUserProperty(Payload.SEQ_PROPERTY));
                    if (seq % 3 == 0) {
                        return LocalTransactionState.COMMIT_MESSAGE;
                    }
                    if (seq % 3 == 1) {
                        pendingChecks.put(msg.getUserProperty(Payload.SEQ_PROPERTY), Boolean.TRUE);
                        return LocalTransactionState.UNKNOW;
                    }
                    return LocalTransactionState.ROLLBACK_MESSAGE;
                }

                @Override
                public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                    checks.incrementAndGet();
                    String seqText = msg.getUserProperty(Payload.SEQ_PROPERTY);
                    int seq = seqText == null ? -1 : Integer.parseInt(seqText);
                    if (seq % 3 == 1) {
                        pendingChecks.remove(seqText);
                        return LocalTransactionState.COMMIT_MESSAGE;
                    }
                    return LocalTransactionState.ROLLBACK_MESSAGE;
                }
            });
            producer = tp;
        } else {
            producer = new DefaultMQProducer(group);
        }
        producer.setNamesrvAddr(namesrv);
        producer.setSendMsgTimeout(timeoutMs);
        producer.setInstanceName("compat-" + run);
        producer.start();

        List<Object> samples = new ArrayList<>();
        int sent = 0;
        int expected = 0;
        try {
            switch (mode) {
                case "sync":
                case "delayed":
                case "ordered":
                case "transactional": {
                    for (int i = 0; i < count; i++) {
                        Payload p = Payload.forSeq(run, i, orderKeys, size);
                        Message m = message(topic, tag, p);
                        if ("delayed".equals(mode)) {
                            m.setDelayTimeLevel(delayLevel);
                        }
                        try {
                            SendResult r;
                            if ("ordered".equals(mode)) {
                                r = producer.send(m, new MessageQueueSelector() {
                                    @Override
                                    public MessageQueue select(List<MessageQueue> mqs, Message msg, Object arg) {
                                        int h = Math.abs(arg.hashCode() % mqs.size());
                                        return mqs.get(h);
                                    }
                                }, p.orderKey);
                            } else if ("transactional".equals(mode)) {
                                r = producer.sendMessageInTransaction(m, null);
                                LocalTransactionState st = ((TransactionSendResult) r).getLocalTransactionState();
                                if (r.getSendStatus() == SendStatus.SEND_OK && st != LocalTransactionState.ROLLBACK_MESSAGE) {
                                    expected++;
                                }
                            } else {
                                r = producer.send(m);
                            }
                            if (r.getSendStatus() == SendStatus.SEND_OK) {
                                sent++;
                            } else {
                                addError(errors, "seq " + i + ": " + r.getSendStatus());
                            }
                            sample(samples, r, p);
                        } catch (Exception e) {
                            addError(errors, "seq " + i + ": " + e);
                        }
                    }
                    if (!"transactional".equals(mode)) {
                        expected = sent;
                    }
                    break;
                }
                case "async": {
                    final CountDownLatch done = new CountDownLatch(count);
                    final AtomicInteger ok = new AtomicInteger();
                    final List<Object> syncSamples = java.util.Collections.synchronizedList(samples);
                    for (int i = 0; i < count; i++) {
                        final Payload p = Payload.forSeq(run, i, orderKeys, size);
                        final int seq = i;
                        inflight.acquire();
                        try {
                            producer.send(message(topic, tag, p), new SendCallback() {
                                @Override
                                public void onSuccess(SendResult r) {
                                    if (r.getSendStatus() == SendStatus.SEND_OK) {
                                        ok.incrementAndGet();
                                    }
                                    synchronized (syncSamples) {
                                        sample(syncSamples, r, p);
                                    }
                                    inflight.release();
                                    done.countDown();
                                }

                                @Override
                                public void onException(Throwable e) {
                                    synchronized (errors) {
                                        addError(errors, "seq " + seq + ": " + e);
                                    }
                                    inflight.release();
                                    done.countDown();
                                }
                            });
                        } catch (Exception e) {
                            synchronized (errors) {
                                addError(errors, "seq " + i + ": " + e);
                            }
                            inflight.release();
                            done.countDown();
                        }
                    }
                    if (!done.await(timeoutMs + 30000L, TimeUnit.MILLISECONDS)) {
                        synchronized (errors) {
                            addError(errors, "async: " + done.getCount() + " callbacks never came");
                        }
                    }
                    sent = ok.get();
                    expected = sent;
                    break;
                }
                case "oneway": {
                    for (int i = 0; i < count; i++) {
                        try {
                            producer.sendOneway(message(topic, tag, Payload.forSeq(run, i, orderKeys, size)));
                            sent++;
                        } catch (Exception e) {
                            addError(errors, "seq " + i + ": " + e);
                        }
                    }
                    expected = sent;
                    break;
                }
                case "batch": {
                    for (int from = 0; from < count; from += batchSize) {
                        List<Message> batch = new ArrayList<>();
                        for (int i = from; i < Math.min(count, from + batchSize); i++) {
                            batch.add(message(topic, tag, Payload.forSeq(run, i, orderKeys, size)));
                        }
                        try {
                            SendResult r = producer.send(batch);
                            if (r.getSendStatus() == SendStatus.SEND_OK) {
                                sent += batch.size();
                            } else {
                                addError(errors, "batch at " + from + ": " + r.getSendStatus());
                            }
                            if (samples.size() < 5) {
                                samples.add(resultMap(r, null));
                            }
                        } catch (Exception e) {
                            addError(errors, "batch at " + from + ": " + e);
                        }
                    }
                    expected = sent;
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown --mode " + mode);
            }
            if ("transactional".equals(mode)) {
                // Wait for the broker to ask about every UNKNOW transaction.
                long deadline = System.currentTimeMillis() + checkWaitSec * 1000L;
                while (!pendingChecks.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                if (!pendingChecks.isEmpty()) {
                    addError(errors, "transaction check-back never came for " + pendingChecks.size() + " messages");
                }
                out.put("checks", checks.get());
                out.put("uncheckedTransactions", pendingChecks.size());
            }
        } finally {
            producer.shutdown();
        }
        out.put("sent", sent);
        out.put("expected", expected);
        out.put("samples", samples);
        return 0;
    }

    private static Message message(String topic, String tag, Payload p) {
        Message m = new Message(topic, tag, p.messageKey(), p.encode());
        m.putUserProperty(Payload.RUN_PROPERTY, p.run);
        m.putUserProperty(Payload.SEQ_PROPERTY, Integer.toString(p.seq));
        return m;
    }

    private static void sample(List<Object> samples, SendResult r, Payload p) {
        if (samples.size() < 5) {
            samples.add(resultMap(r, p));
        }
    }

    private static Map<String, Object> resultMap(SendResult r, Payload p) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", String.valueOf(r.getSendStatus()));
        // A batch answers with comma-joined ids; the first one is enough for the admin cells.
        s.put("msgId", first(r.getMsgId()));
        s.put("offsetMsgId", first(r.getOffsetMsgId()));
        if (r.getMessageQueue() != null) {
            s.put("brokerName", r.getMessageQueue().getBrokerName());
            s.put("queueId", r.getMessageQueue().getQueueId());
        }
        s.put("queueOffset", r.getQueueOffset());
        if (p != null) {
            s.put("keys", p.messageKey());
            s.put("seq", p.seq);
        }
        return s;
    }

    private static String first(String ids) {
        if (ids == null) {
            return null;
        }
        int comma = ids.indexOf(',');
        return comma < 0 ? ids : ids.substring(0, comma);
    }

    private static void addError(List<String> errors, String e) {
        if (errors.size() < 20) {
            errors.add(e);
        }
    }
}
