package io.mcpagent.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small client for the admin API in tests. */
final class HttpProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    HttpProbe(int port) {
        this.port = port;
    }

    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    Reply get(String path, String apiKey) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), apiKey);
    }

    Reply send(HttpRequest.Builder request, String apiKey) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(20));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
