package io.mcpagent.mcp.internal.client.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code private_key_jwt} client authentication (RFC 7523 section 2.2): a short-lived signed JWT. */
final class ClientAssertion {
    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private ClientAssertion() {
    }

    /** A JWT with iss = sub = clientId, the given audience, 5 minutes of validity, signed with ES256 or RS256. */
    static String create(ObjectMapper mapper, String clientId, String audience, String privateKeyPem, String algorithm)
            throws GeneralSecurityException {
        String alg = algorithm.toUpperCase(Locale.ROOT);
        ObjectNode header = mapper.createObjectNode().put("alg", alg).put("typ", "JWT");
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = mapper.createObjectNode().put("iss", clientId).put("sub", clientId).put("aud", audience)
                .put("iat", now).put("exp", now + 300).put("jti", Pkce.randomToken(16));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(json(mapper, header)) + "." + b64.encodeToString(json(mapper, claims));
        Signature signature = switch (alg) {
            case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
            case "ES384" -> Signature.getInstance("SHA384withECDSAinP1363Format");
            case "RS256" -> Signature.getInstance("SHA256withRSA");
            case "PS256" -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
                yield pss;
            }
            default -> throw new GeneralSecurityException("unsupported signing algorithm " + algorithm);
        };
        signature.initSign(privateKey(privateKeyPem, alg.startsWith("ES") ? "EC" : "RSA"));
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(signature.sign());
    }

    static PrivateKey privateKey(String pem, String keyAlgorithm) throws GeneralSecurityException {
        if (pem.contains("BEGIN EC PRIVATE KEY") || pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new GeneralSecurityException("private key must be PKCS#8 (BEGIN PRIVATE KEY)");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(keyAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static byte[] json(ObjectMapper mapper, ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
