package mqctl.compat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The common frame of the consumer programs: run the body, add elapsedMs (and errors on a fatal throw), print
 * the one JSON summary line, and halt — the Java client keeps non-daemon threads, so a plain return would hang.
 */
final class ProgramMain {
    interface Body {
        int run(Args a, Map<String, Object> out) throws Exception;
    }

    private ProgramMain() {
    }

    static void main(String program, String[] argv, Body body) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("program", program);
        List<String> fatal = new ArrayList<>();
        int code = 0;
        long started = System.currentTimeMillis();
        try {
            code = body.run(new Args(argv), out);
        } catch (Throwable t) {
            fatal.add("fatal: " + withCauses(t));
            code = 1;
        }
        out.put("elapsedMs", System.currentTimeMillis() - started);
        if (!fatal.isEmpty()) {
            out.put("errors", fatal);
        }
        System.out.println(Json.write(out));
        System.out.flush();
        Runtime.getRuntime().halt(code);
    }

    /** The throwable and its causes: the client's "Invoke Broker[...] exception" says what failed only in its cause. */
    static String withCauses(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t));
        int depth = 0;
        for (Throwable c = t.getCause(); c != null && c != t && depth < 5; c = c.getCause(), depth++) {
            sb.append(" <- caused by ").append(c);
        }
        return sb.toString();
    }
}
