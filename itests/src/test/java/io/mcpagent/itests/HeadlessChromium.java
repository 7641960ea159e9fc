package io.mcpagent.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Debian's Chromium, headless, driven through the DevTools protocol over a WebSocket: one page that navigates,
 * evaluates JavaScript and sets file inputs. Chromium is {@code /usr/bin/chromium} unless the system property
 * {@code mcpagent.test.chromium} names another; a fresh profile lives in a temporary folder for the browser's life.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, URI pageSocket) throws Exception {
        this.process = process;
        this.profile = profile;
        this.page = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(pageSocket, new Replies()).get(20, TimeUnit.SECONDS);
        call("Page.enable", JSON.createObjectNode());
        call("Runtime.enable", JSON.createObjectNode());
    }

    static HeadlessChromium start(Path workDir) throws Exception {
        Path executable = Paths.get(System.getProperty("mcpagent.test.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("no Chromium at " + executable + ": install Debian's package"
                    + " (apt-get install -y chromium), as .ci/run does, or name one with -Dmcpagent.test.chromium");
        }
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        URI browserSocket = browserSocket(process);
        HttpClient http = HttpClient.newHttpClient();
        URI list = URI.create("http://" + browserSocket.getAuthority() + "/json/list");
        URI pageSocket = null;
        for (int attempt = 0; attempt < 50 && pageSocket == null; attempt++) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode target : targets) {
                if ("page".equals(target.path("type").asText())) {
                    pageSocket = URI.create(target.path("webSocketDebuggerUrl").asText());
                }
            }
            if (pageSocket == null) {
                Thread.sleep(100);
            }
        }
        if (pageSocket == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium opened no page to drive");
        }
        return new HeadlessChromium(process, profile, pageSocket);
    }

    /** Reads Chromium's output until it names its DevTools endpoint; keeps draining it afterwards. */
    private static URI browserSocket(Process process) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        StringBuffer seen = new StringBuffer();
        Thread drain = new Thread(() -> {
            try {
                String line;
                while ((line = output.readLine()) != null) {
                    seen.append(line).append('\n');
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        endpoint.complete(URI.create(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
            endpoint.completeExceptionally(new IllegalStateException("Chromium ended: " + seen));
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        try {
            return endpoint.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not open its DevTools endpoint; it said:\n" + seen, e);
        }
    }

    /** Sends one DevTools command and waits for its result. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        page.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
        JsonNode answer = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    /** Opens a URL and waits until its document has loaded. */
    void open(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
        Thread.sleep(100);
        awaitTrue("document.readyState === 'complete'", Duration.ofSeconds(30));
    }

    /** Evaluates an expression in the page (promises are awaited) and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("'" + expression + "' threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    String text(String expression) throws Exception {
        return eval(expression).asText();
    }

    /** Polls until the expression is true in the page; navigation in between is fine. */
    void awaitTrue(String expression, Duration timeout) throws Exception {
        Await.value(() -> eval(expression).asBoolean(), Boolean::booleanValue, timeout,
                () -> "page condition never held: " + expression + "; page is " + describe());
    }

    /** Where the page is and what it shows, for failure messages. */
    String describe() {
        try {
            return eval("location.href + '\\n' + document.body.innerText.substring(0, 3000)").asText();
        } catch (Exception e) {
            return "(page unreadable: " + e + ")";
        }
    }

    /** Puts a file into a file input, as choosing it in the file dialog would. */
    void setFile(String selector, Path file) throws Exception {
        JsonNode document = call("DOM.getDocument", JSON.createObjectNode());
        int node = call("DOM.querySelector", JSON.createObjectNode()
                .put("nodeId", document.path("root").path("nodeId").asInt()).put("selector", selector))
                .path("nodeId").asInt();
        if (node == 0) {
            throw new IllegalStateException("no element " + selector + " on " + describe());
        }
        ObjectNode params = JSON.createObjectNode().put("nodeId", node);
        // Chromium cannot read a path with ".." segments: hand it the plain one.
        params.putArray("files").add(file.toAbsolutePath().normalize().toString());
        call("DOM.setFileInputFiles", params);
    }

    @Override
    public void close() throws Exception {
        try {
            page.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The browser is stopped below either way.
        }
        // Chromium's helpers (renderers, crash handler) outlive its main process for a moment and still write to the
        // profile: stop and wait for them too before the profile is deleted.
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle helper : helpers) {
            helper.destroy();
            try {
                helper.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                helper.destroyForcibly();
                helper.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Collects each WebSocket message (it may come in parts) and completes the call it answers. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode node = JSON.readTree(message);
                    CompletableFuture<JsonNode> reply = node.has("id") ? pending.remove(node.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(node);
                    }
                } catch (IOException e) {
                    pending.values().forEach(reply -> reply.completeExceptionally(e));
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            List.copyOf(pending.values()).forEach(reply -> reply.completeExceptionally(error));
        }
    }
}
