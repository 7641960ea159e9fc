package io.mcpagent.benchmarks.agents;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The least any HTTP client can pay for a turn's two model calls: the exact request bodies written on one kept-alive
 * socket, each answer read by its Content-Length with no more parsing than that. The floor both frameworks' overheads
 * are measured from when the HTTP client itself is counted as part of the framework.
 */
final class SocketFloor implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[][] messages;
    private final byte[] line = new byte[8192];

    SocketFloor(URI chat, String key, List<String> bodies) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(chat.getHost(), chat.getPort()));
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
        messages = bodies.stream().map(body -> {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + chat.getRawPath() + " HTTP/1.1\r\nHost: " + chat.getHost() + ":" + chat.getPort()
                    + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + key + "\r\nContent-Length: "
                    + content.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] message = new byte[head.length + content.length];
            System.arraycopy(head, 0, message, 0, head.length);
            System.arraycopy(content, 0, message, head.length, content.length);
            return message;
        }).toArray(byte[][]::new);
    }

    /** Both calls; the answers' body bytes. */
    int twoCalls() throws IOException {
        int bytes = 0;
        for (byte[] message : messages) {
            out.write(message);
            out.flush();
            bytes += answer();
        }
        return bytes;
    }

    private int answer() throws IOException {
        int length = -1;
        int status = -1;
        for (int size; (size = line()) > 0; ) {
            if (status == -1) {
                status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            } else if (size > 15 && (line[0] | 0x20) == 'c' && new String(line, 0, 15, StandardCharsets.ISO_8859_1)
                    .equalsIgnoreCase("content-length:")) {
                length = Integer.parseInt(new String(line, 15, size - 15, StandardCharsets.ISO_8859_1).trim());
            }
        }
        if (status != 200 || length < 0) {
            throw new IllegalStateException("fake answered " + status + " with length " + length);
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("the answer broke off");
        }
        return length;
    }

    /** Reads one header line into {@code line} without its CR LF; its length. */
    private int line() throws IOException {
        int size = 0;
        for (int b; (b = in.read()) != '\n'; ) {
            if (b == -1) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line[size++] = (byte) b;
            }
        }
        return size;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
