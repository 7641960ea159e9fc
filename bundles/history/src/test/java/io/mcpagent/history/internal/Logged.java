package io.mcpagent.history.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the logger (slf4j-simple, on standard error) wrote while an action ran. */
final class Logged {
    /** What runs while the log is captured. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private Logged() {
    }

    static String whileRunning(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
