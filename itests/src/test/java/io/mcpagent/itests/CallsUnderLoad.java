package io.mcpagent.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamEvent;

/**
 * Callers each calling one echo provider through the router in a loop until stopped, half of them streaming answers
 * read slowly (a millisecond an event), so that calls are in flight at any moment, the others calling as fast as the
 * provider answers, so that calls come at any moment; and how each call ended. A call
 * ends clearly when it is answered with the echo of its prompt, or fails with a {@link ProviderException} naming the
 * provider; anything else (another exception or error, a wrong answer, a call that does not end) is unclear.
 */
final class CallsUnderLoad {
    private static final String PLAIN = "hello";
    private static final String STREAMED = "streamed " + "x".repeat(100);
    /** The unclear calls kept, enough to tell what went wrong. */
    private static final int UNCLEAR_KEPT = 50;

    private final LlmRouter router;
    private final String provider;
    private final List<Thread> callers = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Set<String> failures = ConcurrentHashMap.newKeySet();
    private final List<String> unclear = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private CallsUnderLoad(LlmRouter router, String provider) {
        this.router = router;
        this.provider = provider;
    }

    /** {@code callers} callers calling {@code provider} from now on. */
    static CallsUnderLoad start(LlmRouter router, String provider, int callers) {
        CallsUnderLoad load = new CallsUnderLoad(router, provider);
        for (int i = 0; i < callers; i++) {
            boolean streamed = i % 2 == 0;
            load.callers.add(Thread.ofVirtual().name("calls-under-load-" + i).start(() -> load.call(streamed)));
        }
        return load;
    }

    private void call(boolean streamed) {
        while (running) {
            try {
                String text = streamed ? streamed() : plain();
                String expected = "echo: " + (streamed ? STREAMED : PLAIN);
                if (expected.equals(text)) {
                    answered.incrementAndGet();
                } else {
                    unclear("answered '" + text + "', not '" + expected + "'");
                }
            } catch (ProviderException e) {
                failed.incrementAndGet();
                failures.add(e.getMessage());
                if (e.getMessage() == null || !e.getMessage().contains("'" + provider + "'")) {
                    unclear("failed without naming provider '" + provider + "': " + e);
                }
            } catch (RuntimeException | Error e) {
                unclear("failed with " + e);
            }
        }
    }

    private void unclear(String how) {
        if (unclear.size() < UNCLEAR_KEPT) {
            unclear.add(how);
        }
    }

    private String plain() {
        return router.route(request(PLAIN), pinned(), null, null).response().message().text();
    }

    /** The streamed text as the caller read it, a millisecond an event; the answer's text when they differ. */
    private String streamed() {
        StringBuilder read = new StringBuilder();
        String text = router.route(request(STREAMED), pinned(), null, event -> {
            if (event instanceof StreamEvent.TextDelta delta) {
                read.append(delta.text());
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).response().message().text();
        return read.toString().equals(text) ? text : "read '" + read + "' of " + text;
    }

    private static ChatRequest request(String prompt) {
        return ChatRequest.of(null, null, List.of(Message.user(prompt)));
    }

    private ModelRequirements pinned() {
        return new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, provider, null, List.of());
    }

    long answered() {
        return answered.get();
    }

    /** Stops the callers after their call under way; a caller whose call has not ended {@code within} is unclear. */
    void stop(Duration within) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + within.toNanos();
        for (Thread caller : callers) {
            if (!caller.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                unclear.add(caller.getName() + "'s call did not end within " + within); // kept whatever the count
            }
        }
    }

    /** The calls that did not end clearly, by how they ended. */
    List<String> unclear() {
        return List.copyOf(unclear);
    }

    @Override
    public String toString() {
        return answered + " answered, " + failed + " failed (" + failures + "), unclear: " + unclear;
    }
}
