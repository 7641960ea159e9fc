package io.mcpagent.api.security;

/**
 * Revoking this key would leave no admin key ({@link ApiKeys#revoke}): nobody could manage keys any more, and a
 * restart makes no new one while other keys exist.
 */
public class LastAdminKeyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String id;

    public LastAdminKeyException(String id) {
        super("key '" + id + "' is the last admin key: revoking it would lock every admin out; create another admin"
                + " key first (apikey:create admin, or POST /api/v1/keys with the role admin), then revoke this one");
        this.id = id;
    }

    /** The id of the key that was kept. */
    public String id() {
        return id;
    }
}
