package io.mcpagent.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http refuses to send: bad bytes in headers, CR and LF inside
 * values and paths, lying lengths, broken chunking. The request goes out as given, the socket's output is closed so
 * a server waiting for more bytes sees the end, and every response that came back before the server closed is parsed.
 */
final class RawHttp {
    /** Responses bigger than this are cut: the fuzz only looks at status, headers and a prefix of the body. */
    private static final int MAX_READ = 4 * 1024 * 1024;

    /** One parsed response; header names in lower case. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code request} to 127.0.0.1:{@code port} and returns the responses in order (none when the server
     * closed without answering). A {@link java.net.SocketTimeoutException} means the server neither answered nor
     * closed within {@code timeout}. {@code headRequest}: the first response has no body whatever its headers say.
     */
    static List<Response> exchange(int port, byte[] request, Duration timeout, boolean headRequest) throws IOException {
        byte[] received;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (SocketException e) {
                // The server answered and closed before taking everything (e.g. 413 on the declared length).
            }
            received = readAll(socket.getInputStream());
        }
        return parse(received, headRequest);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while (bytes.size() < MAX_READ && (n = in.read(buffer)) != -1) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // A reset after the server answered: what arrived is the answer.
            if (bytes.size() == 0) {
                return new byte[0];
            }
        }
        return bytes.toByteArray();
    }

    static List<Response> parse(byte[] data, boolean headRequest) {
        List<Response> responses = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int end = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            if (end < 0) {
                break;
            }
            String[] lines = new String(data, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                break;
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
                }
            }
            at = end + 4;
            Response head = new Response(status, headers, new byte[0]);
            boolean noBody = status < 200 || status == 204 || status == 304 || (headRequest && responses.isEmpty());
            byte[] body;
            if (noBody) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
                ByteArrayOutputStream decoded = new ByteArrayOutputStream();
                at = dechunk(data, at, decoded);
                body = decoded.toByteArray();
            } else if (head.header("content-length") != null) {
                int length = (int) Math.min(Long.parseLong(head.header("content-length")), data.length - at);
                body = Arrays.copyOfRange(data, at, at + length);
                at += length;
            } else {
                body = Arrays.copyOfRange(data, at, data.length);
                at = data.length;
            }
            responses.add(new Response(status, headers, body));
        }
        return responses;
    }

    /** Decodes a chunked body starting at {@code at} into {@code out}; returns where the next response starts. */
    private static int dechunk(byte[] data, int at, ByteArrayOutputStream out) {
        while (at < data.length) {
            int lineEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            if (lineEnd < 0) {
                return data.length;
            }
            String sizeText = new String(data, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";", 2)[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            at = lineEnd + 2;
            if (size == 0) {
                int trailerEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
                return trailerEnd < 0 ? data.length : trailerEnd + 2;
            }
            int length = Math.min(size, data.length - at);
            out.write(data, at, length);
            at += length + 2;
        }
        return data.length;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
