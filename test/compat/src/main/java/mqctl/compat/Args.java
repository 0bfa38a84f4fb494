package mqctl.compat;

import java.util.HashMap;
import java.util.Map;

/** Tiny "--name value" / "--flag" parser shared by the compat programs. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                values.put(name, argv[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    String str(String name, String def) {
        String v = values.get(name);
        return v == null ? def : v;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    int integer(String name, int def) {
        String v = values.get(name);
        return v == null ? def : Integer.parseInt(v);
    }

    boolean flag(String name) {
        return "true".equals(values.get(name));
    }
}
