package io.mcpagent.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The notice or error an action leaves for the page it redirects to. It travels in the query, as
 * {@code notice=<text>&sig=<signature>}, signed with a key of this page instance for the user who acted: a page shows
 * it only to that user, and a crafted link ({@code ?notice=Your key expired, paste it at ...}) shows nothing, so the
 * console's notices cannot be forged to an operator. A restart makes new keys: older links show no notice.
 */
final class ActionNotices {
    static final String SIGNATURE = "sig";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    ActionNotices() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The query parameters that carry {@code message} as a {@code kind} ("notice", "error") for {@code user}. */
    String query(ConsoleUser user, String kind, String message) {
        return kind + "=" + URLEncoder.encode(message, StandardCharsets.UTF_8) + "&" + SIGNATURE + "="
                + signature(user, kind, message);
    }

    /** The {@code kind} message of the request when it was signed here for this user; empty otherwise. */
    Optional<String> read(HttpServletRequest request, ConsoleUser user, String kind) {
        String message = request.getParameter(kind);
        String signature = request.getParameter(SIGNATURE);
        if (message == null || signature == null) {
            return Optional.empty();
        }
        boolean genuine = MessageDigest.isEqual(signature(user, kind, message).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
        return genuine ? Optional.of(message) : Optional.empty();
    }

    private String signature(ConsoleUser user, String kind, String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // the message comes last: it is the only part the text of an action's input can shape
            String signed = kind + '\0' + user.principal().actor() + '\0' + user.principal().tenant() + '\0'
                    + message;
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
