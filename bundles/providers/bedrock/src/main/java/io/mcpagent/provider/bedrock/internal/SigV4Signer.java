package io.mcpagent.provider.bedrock.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 ("Create a signed AWS API request"), for every service but S3: the canonical URI is the
 * path as sent on the wire with each segment percent-encoded once more, so Bedrock's {@code %3A} in a model id
 * becomes {@code %253A} in the canonical request. The service name is a parameter so AWS's published test suite
 * (service {@code service}) runs against the same code that signs for {@code bedrock}.
 */
final class SigV4Signer {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The outcome: the headers to add to the request ({@code X-Amz-Date}, {@code X-Amz-Security-Token} when the
     * credentials are temporary, {@code Authorization}) and the intermediate texts, which hold no secret.
     */
    record Signature(String canonicalRequest, String stringToSign, String authorization, Map<String, String> headers) {
    }

    private final String region;
    private final String service;

    SigV4Signer(String region, String service) {
        this.region = region;
        this.service = service;
    }

    /**
     * @param host    the Host (HTTP/1.1) or {@code :authority} (HTTP/2) value the client will send
     * @param path    the path exactly as sent on the wire (segments already percent-encoded, or raw)
     * @param query   the query as sent, without {@code ?}; null or empty when there is none
     * @param headers further headers to sign (e.g. {@code content-type}), by name
     */
    Signature sign(AwsCredentials credentials, String method, String host, String path, String query,
                   Map<String, String> headers, byte[] payload, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String dateStamp = amzDate.substring(0, 8);
        Map<String, String> canonicalHeaders = new TreeMap<>();
        headers.forEach((name, value) -> canonicalHeaders.put(name.toLowerCase(Locale.ROOT), canonicalValue(value)));
        canonicalHeaders.put("host", canonicalValue(host));
        canonicalHeaders.put("x-amz-date", amzDate);
        if (credentials.sessionToken() != null) {
            canonicalHeaders.put("x-amz-security-token", canonicalValue(credentials.sessionToken()));
        }
        StringBuilder headerLines = new StringBuilder();
        canonicalHeaders.forEach((name, value) -> headerLines.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", canonicalHeaders.keySet());

        String canonicalRequest = method + "\n" + canonicalUri(path) + "\n" + canonicalQuery(query) + "\n" + headerLines
                + "\n" + signedHeaders + "\n" + HEX.formatHex(sha256(payload));
        String scope = dateStamp + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));

        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), dateStamp);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, stringToSign));
        String authorization = ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope + ", SignedHeaders="
                + signedHeaders + ", Signature=" + signature;

        Map<String, String> add = new LinkedHashMap<>();
        add.put("X-Amz-Date", amzDate);
        if (credentials.sessionToken() != null) {
            add.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        add.put("Authorization", authorization);
        return new Signature(canonicalRequest, stringToSign, authorization, add);
    }

    /** Each segment of the wire path encoded once more; {@code /} separators kept. */
    static String canonicalUri(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        StringBuilder uri = new StringBuilder();
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            uri.append(encode(path.substring(start, slash < 0 ? path.length() : slash)));
            if (slash < 0) {
                return uri.toString();
            }
            uri.append('/');
            start = slash + 1;
        }
    }

    /** Parameters decoded, re-encoded and sorted by name, then value (code point order). */
    private static String canonicalQuery(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.add(new String[] {encode(decode(name)), encode(decode(value))});
        }
        parameters.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>();
        parameters.forEach(p -> joined.add(p[0] + "=" + p[1]));
        return String.join("&", joined);
    }

    /** RFC 3986 percent-encoding of the UTF-8 bytes: only {@code A-Z a-z 0-9 - _ . ~} stay as they are. */
    static String encode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
                    || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX.withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
    }

    /** Percent-decoding only ({@code +} stays a plus, as in a URI query). */
    private static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && HEX.isHexDigit(raw[i + 1]) && HEX.isHexDigit(raw[i + 2])) {
                bytes.write(HexFormat.fromHexDigits(new String(raw, i + 1, 2, StandardCharsets.US_ASCII)));
                i += 2;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Trimmed, with inner runs of whitespace collapsed to one space. */
    private static String canonicalValue(String value) {
        return value.strip().replaceAll("\\s+", " ");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
