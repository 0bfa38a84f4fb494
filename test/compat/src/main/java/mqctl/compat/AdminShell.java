package mqctl.compat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Runs Apache's mqadmin (MQAdminStartup.main0) once per stdin line, in one JVM, so the compat runner does not
 * pay a JVM start per command. A line holds the arguments separated by tabs; the command's stdout and stderr
 * are captured and printed, followed by a line "\u0001END". mqadmin itself never calls System.exit.
 */
public final class AdminShell {
    static final String END = "\u0001END";
    /** What the running command has printed so far; a usage error makes mqadmin call System.exit. */
    private static volatile ByteArrayOutputStream current;

    private AdminShell() {
    }

    public static void main(String[] argv) throws Exception {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        Class<?> startup = Class.forName("org.apache.rocketmq.tools.command.MQAdminStartup");
        Class<?> hook = Class.forName("org.apache.rocketmq.remoting.RPCHook");
        Method main0 = startup.getMethod("main0", String[].class, hook);
        final PrintStream out = realOut;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ByteArrayOutputStream b = current;
            if (b != null) {
                out.print(new String(b.toByteArray(), StandardCharsets.UTF_8));
                out.println();
                out.println("(mqadmin called System.exit)");
                out.println(END);
                out.flush();
            }
        }));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        realOut.println("READY");
        realOut.println(END);
        realOut.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] args = line.isEmpty() ? new String[0] : line.split("\t", -1);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream cap = new PrintStream(buf, true, "UTF-8");
            current = buf;
            System.setOut(cap);
            System.setErr(cap);
            try {
                main0.invoke(null, args, null);
            } catch (InvocationTargetException e) {
                e.getCause().printStackTrace(cap);
            } catch (Throwable t) {
                t.printStackTrace(cap);
            } finally {
                System.setOut(realOut);
                System.setErr(realErr);
            }
            cap.flush();
            current = null;
            String text = new String(buf.toByteArray(), StandardCharsets.UTF_8);
            realOut.print(text);
            if (!text.endsWith("\n")) {
                realOut.println();
            }
            realOut.println(END);
            realOut.flush();
        }
        Runtime.getRuntime().halt(0);
    }
}
