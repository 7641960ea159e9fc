package io.mcpagent.mcp.internal.client.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** PKCE (RFC 7636) with the S256 method only: a 43-character verifier and its SHA-256 challenge. */
public final class Pkce {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pkce() {
    }

    /** A fresh verifier: 32 random bytes, base64url without padding (43 characters). */
    public static String newVerifier() {
        return randomToken(32);
    }

    /** {@code BASE64URL(SHA256(ASCII(verifier)))} without padding. */
    public static String challengeS256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Random bytes as base64url without padding (for state values and JWT ids too). */
    public static String randomToken(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
