package io.mcpagent.itests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A model server speaking the OpenAI Chat Completions wire format, as small as the OpenAI provider needs: every
 * {@code POST} is answered, after {@link #answerAfter}, with {@code answer} as the assistant's text, one request per
 * connection. It listens on a port of {@code mcpagent.itest.ports}.
 */
final class OpenAiCompatibleServer implements AutoCloseable {
    static final String MODEL = "fake-model";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket socket;
    private final String answer;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;

    OpenAiCompatibleServer(String answer) throws IOException {
        this.answer = answer;
        socket = new ServerSocket(DistributionLayout.freePort(), 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("openai-compatible-server-" + port()).start(this::accept);
    }

    /** The base URL of an {@code io.mcpagent.provider.openai} configuration of dialect {@code compatible}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The requests read so far, answered or not. */
    int requests() {
        return requests.get();
    }

    /** Each answer from now on comes this long after its request was read, as a slow model's does. */
    void answerAfter(Duration wait) {
        delay = wait;
    }

    private void accept() {
        try {
            while (true) {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread.ofVirtual().start(() -> answer(connection));
            }
        } catch (IOException closed) {
            // close() ended the accepting
        }
    }

    private void answer(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream()) {
            int length = 0;
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                String header = line.toLowerCase(Locale.ROOT);
                if (header.startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).strip());
                }
            }
            in.readNBytes(length);
            requests.incrementAndGet();
            Thread.sleep(delay);
            byte[] body = completion().getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away (its provider was removed) or the server is closing: nothing to answer
        } finally {
            connections.remove(connection);
        }
    }

    private String completion() throws JsonProcessingException {
        return "{\"id\":\"chatcmpl-" + requests.get() + "\",\"object\":\"chat.completion\",\"created\":0,\"model\":\""
                + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + JSON.writeValueAsString(answer) + "},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}";
    }

    /** A header line without its CRLF; empty at the end of the headers (or of the stream). */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
