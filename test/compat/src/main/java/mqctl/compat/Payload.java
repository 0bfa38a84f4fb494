package mqctl.compat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Message body layout shared by producer and consumers: "run|seq|orderKey|keySeq|length|" padded with a
 * deterministic filler up to the requested size. The consumer can tell from the body alone which run a message
 * belongs to, its place in the per-key order, and whether the body arrived whole.
 */
final class Payload {
    static final String RUN_PROPERTY = "mqctlRun";
    static final String SEQ_PROPERTY = "mqctlSeq";

    final String run;
    final int seq;
    final String orderKey;
    final int keySeq;
    final int length;

    Payload(String run, int seq, String orderKey, int keySeq, int length) {
        this.run = run;
        this.seq = seq;
        this.orderKey = orderKey;
        this.keySeq = keySeq;
        this.length = length;
    }

    static Payload forSeq(String run, int seq, int orderKeys, int size) {
        int k = orderKeys <= 0 ? 1 : orderKeys;
        return new Payload(run, seq, "K" + (seq % k), seq / k, size);
    }

    String messageKey() {
        return run + "-" + seq;
    }

    byte[] encode() {
        String head = run + "|" + seq + "|" + orderKey + "|" + keySeq + "|";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        // The declared length counts the whole body, the length field included.
        int guess = Math.max(length, h.length + 12);
        String full = head + guess + "|";
        byte[] f = full.getBytes(StandardCharsets.UTF_8);
        int total = Math.max(guess, f.length);
        byte[] out = Arrays.copyOf(f, total);
        for (int i = f.length; i < total; i++) {
            out[i] = (byte) ('a' + ((seq + i) % 26));
        }
        // Rewrite the length field if padding could not reach the guess exactly.
        if (total != guess) {
            return new Payload(run, seq, orderKey, keySeq, total).encode();
        }
        return out;
    }

    /** Parses a body; returns null when it is not one of ours. Sets {@code intact} to whether length and filler match. */
    static Payload decode(byte[] body, boolean[] intact) {
        String s = new String(body, StandardCharsets.UTF_8);
        String[] parts = s.split("\\|", 6);
        if (parts.length < 6) {
            return null;
        }
        try {
            Payload p = new Payload(parts[0], Integer.parseInt(parts[1]), parts[2], Integer.parseInt(parts[3]),
                Integer.parseInt(parts[4]));
            boolean ok = body.length == p.length;
            int start = body.length - parts[5].getBytes(StandardCharsets.UTF_8).length;
            for (int i = start; ok && i < body.length; i++) {
                ok = body[i] == (byte) ('a' + ((p.seq + i) % 26));
            }
            intact[0] = ok;
            return p;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
