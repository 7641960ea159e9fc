package io.mcpagent.api.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the platform could not take into use, reported instead of thrown: a plugin service without an id
 * or with a duplicate one, a deployed jar that is corrupt or cannot resolve, a configuration file that does
 * not parse. {@code source} names the reporter (e.g. {@code whiteboard}, {@code deploy}, {@code config}),
 * {@code subject} the thing (plugin id, file name, bundle), {@code message} what is wrong and what to do.
 */
public record Problem(String source, String subject, String message, Instant since) {

    public Problem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        since = since == null ? Instant.now() : since;
    }
}
