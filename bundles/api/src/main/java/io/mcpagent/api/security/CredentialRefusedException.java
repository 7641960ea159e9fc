package io.mcpagent.api.security;

/**
 * A genuine credential that cannot be taken, and why, in words its presenter may be told: they say nothing the
 * credential does not hold itself. A validly signed JWT whose claims name no caller (a subject that is not one line, a
 * tenant claim that is no tenant name, or one with the role admin) is refused so, with the REST API's words. A
 * credential that identifies nobody (unknown, revoked, expired, badly signed) is no such refusal:
 * {@link Authenticator#authenticate} answers it empty and says nothing of why, so no answer hints whether a key exists.
 *
 * @since 1.6
 */
public class CredentialRefusedException extends SecurityException {
    private static final long serialVersionUID = 1L;

    public CredentialRefusedException(String why) {
        super(why);
    }
}
