package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class BoundedBodyTest {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Flow.Subscription subscription = new Flow.Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    };

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void joinsEveryBufferInOrder() throws Exception {
        BoundedBody body = new BoundedBody(100);
        body.onSubscribe(subscription);
        body.onNext(List.of(bytes("hel"), bytes("lo ")));
        body.onNext(List.of(bytes("world")));
        body.onComplete();
        BoundedBody.Bytes read = body.getBody().toCompletableFuture().get();
        assertEquals("hello world", new String(read.bytes(), StandardCharsets.UTF_8));
        assertFalse(read.truncated());
        assertFalse(cancelled.get());
    }

    @Test
    void stopsReadingAtTheLimitAndSaysSo() throws Exception {
        BoundedBody body = new BoundedBody(8);
        body.onSubscribe(subscription);
        body.onNext(List.of(bytes("12345"), bytes("67890")));
        body.onNext(List.of(bytes("ignored")));
        body.onComplete();
        BoundedBody.Bytes read = body.getBody().toCompletableFuture().get();
        assertArrayEquals("12345678".getBytes(StandardCharsets.UTF_8), read.bytes());
        assertTrue(read.truncated());
        assertTrue(cancelled.get(), "the rest is not read");
    }

    @Test
    void exactlyTheLimitIsWhole() throws Exception {
        BoundedBody body = new BoundedBody(5);
        body.onSubscribe(subscription);
        body.onNext(List.of(bytes("12345")));
        body.onComplete();
        assertFalse(body.getBody().toCompletableFuture().get().truncated());
    }

    @Test
    void aBrokenBodyFailsTheAnswer() {
        BoundedBody body = new BoundedBody(5);
        body.onSubscribe(subscription);
        body.onNext(List.of(bytes("12")));
        body.onError(new IOException("connection reset"));
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> body.getBody().toCompletableFuture().get());
        assertEquals("connection reset", failure.getCause().getMessage());
    }
}
