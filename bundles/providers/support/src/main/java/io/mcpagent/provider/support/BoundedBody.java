package io.mcpagent.provider.support;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A complete answer's bytes, at most {@code limit} of them: once more arrive, reading stops (the subscription is
 * cancelled, so the rest is never buffered) and the body says it was {@link Bytes#truncated() truncated}. The JDK's
 * {@code BodyHandlers.ofByteArray()} has no bound and {@code BodyHandlers.limiting} needs Java 25.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Bytes> {
    /** What was read, and whether more followed. */
    record Bytes(byte[] bytes, boolean truncated) {
    }

    private final int limit;
    private final CompletableFuture<Bytes> result = new CompletableFuture<>();
    private final List<ByteBuffer> received = new ArrayList<>();
    private Flow.Subscription subscription;
    private int size;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int room = limit - size;
            if (buffer.remaining() > room) {
                received.add(buffer.slice(buffer.position(), room));
                size = limit;
                subscription.cancel();
                result.complete(new Bytes(joined(), true));
                return;
            }
            size += buffer.remaining();
            received.add(buffer);
        }
    }

    @Override
    public void onError(Throwable failure) {
        result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        result.complete(new Bytes(joined(), false));
    }

    @Override
    public CompletionStage<Bytes> getBody() {
        return result;
    }

    private byte[] joined() {
        byte[] bytes = new byte[size];
        int at = 0;
        for (ByteBuffer buffer : received) {
            int n = Math.min(buffer.remaining(), size - at);
            buffer.get(bytes, at, n);
            at += n;
        }
        received.clear();
        return bytes;
    }
}
