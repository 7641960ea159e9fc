package io.mcpagent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.mcpagent.benchmarks.Clients.Echo;
import io.mcpagent.benchmarks.Clients.Kind;

/** The harness names the clients whose runs failed (main exits non-zero on them); no servers, stand-in clients. */
class CallLatencyTest {

    @Test
    void namesTheClientsThatFailed() throws Exception {
        CallLatency.Knobs tiny = new CallLatency.Knobs(3, 1, 1, 2, 0, false);
        CallLatency harness = new CallLatency(tiny, kind -> switch (kind) {
            case OURS_HTTP -> throw new IllegalStateException("initialize timed out");
            case SDK_STDIO -> new Answering(2); // fails in its latency run, after the warm-up
            default -> new Answering(Integer.MAX_VALUE);
        });

        assertEquals(Set.of(Kind.OURS_HTTP, Kind.SDK_STDIO), harness.run());
    }

    /** Echoes until its budget of calls is spent, then throws. */
    private static final class Answering implements Echo {
        private final AtomicInteger left;

        Answering(int calls) {
            left = new AtomicInteger(calls);
        }

        @Override
        public void echo(String message) {
            if (left.getAndDecrement() <= 0) {
                throw new IllegalStateException("unexpected echo answer");
            }
        }

        @Override
        public String protocolVersion() {
            return "stand-in";
        }

        @Override
        public void close() {
        }
    }
}
