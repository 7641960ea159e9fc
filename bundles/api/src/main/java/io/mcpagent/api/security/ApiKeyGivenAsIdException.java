package io.mcpagent.api.security;

/**
 * An API key was given where its id belongs ({@link ApiKeys#revoke}). The message names the key's id and never the
 * key: whoever pasted it should not see it repeated in an answer, a console or a log.
 */
public class ApiKeyGivenAsIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String id;

    public ApiKeyGivenAsIdException(String id) {
        super("that is an API key, not its id; revoke it by its id '" + id + "'");
        this.id = id;
    }

    /** The id of the key that was given. */
    public String id() {
        return id;
    }
}
