package io.mcpagent.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fuzz test of the REST API of the built distribution: more than 10,000 malformed or hostile requests (broken JSON,
 * wrong types per field, huge and deeply nested bodies, odd unicode, path traversal, hostile query strings and
 * headers, odd methods, broken HTTP framing over raw sockets), generated deterministically from a seed (printed;
 * {@code -Dmcpagent.fuzz.seed=<n>} replays another). No answer may be a 5xx or a JSON error of another shape, the
 * server keeps answering throughout, and afterwards (also after a restart) the keys, the plugins, the servers and a
 * seeded execution record read back as they were.
 * <p>
 * The fuzz never starts real executions or installs: executions are dry runs or name a pattern that does not exist,
 * installs name catalog entries that do not exist; keys it creates by chance (a valid role with an odd name) are
 * tracked and expected afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestFuzzIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration ANSWER = Duration.ofSeconds(20);
    private static final String ADMIN_KEY = "rest-fuzz-it-admin-key-3b8d1f6e0a";
    private static final long DEFAULT_SEED = 7_2026_12_03L;
    private static final int REQUESTS = 11_000;
    /** Liveness is checked after every batch. */
    private static final int BATCH = 500;
    /** Concurrent requests: enough to overlap, few enough for 2 shared cores. */
    private static final int WORKERS = 8;
    /** The server's default maxRequestBytes. */
    private static final int BODY_LIMIT = 1024 * 1024;
    private static final int DEEP = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields an error body may have: the documented {error, message, field} and a provider failure's extras. */
    private static final Set<String> ERROR_FIELDS = Set.of("error", "message", "field", "category", "retryable",
            "providerStatus", "retryAfterSeconds", "requestId");
    /** A header name the fuzz tries to smuggle into responses through CR LF in paths, values and bodies. */
    private static final String INJECTED = "X-Fuzz-Injected";
    private static final String ABSENT_PATTERN = "fuzz-no-such-pattern";
    private static final Pattern CORRELATION = Pattern.compile("correlation id ([0-9a-f-]{36})");
    private static final List<String> CREDENTIALS = List.of("none", "bogus", "viewer", "operator", "admin");

    /** Every documented operation, with a valid body where it takes one; checked against the OpenAPI document. */
    private record Operation(String method, String path, List<ObjectNode> bodies) {
        String key() {
            return method + " " + path;
        }
    }

    /**
     * One request: structured (sent with java.net.http, or over a raw socket when it refuses) or {@code raw} bytes.
     * Headers are name/value pairs; text sent raw is encoded by {@link #bytes(String)}.
     */
    private record FuzzRequest(String category, String method, String target, List<String[]> headers, byte[] body,
                               boolean chunked, byte[] raw) {
        String describe() {
            String head = raw != null ? new String(raw, 0, Math.min(raw.length, 300), StandardCharsets.ISO_8859_1)
                    : method + " " + target + " " + headers.stream().map(h -> h[0] + ": " + h[1])
                    .collect(Collectors.joining(", ", "[", "]"));
            String bodyPrefix = body == null ? "" : " body(" + body.length + (chunked ? ", chunked" : "") + "): "
                    + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            return "[" + category + "] " + visible(shorten(head, 400)) + visible(bodyPrefix);
        }
    }

    /** What came back: status 0 when the server closed without answering, -1 when it did not answer in time. */
    private record Outcome(int status, String contentType, String allow, String authenticate, boolean injected,
                           String body) {
        static Outcome of(RawHttp.Response response) {
            return new Outcome(response.status(), response.header("content-type"), response.header("allow"),
                    response.header("www-authenticate"), response.header(INJECTED) != null,
                    new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /** One field of one operation's body, as a JSON pointer ("/messages/0/role"). */
    private record Field(Operation operation, ObjectNode body, String pointer) {
    }

    private record Snapshot(JsonNode keys, List<String> plugins, List<String> servers, JsonNode execution) {
    }

    private final long seed = Long.getLong("mcpagent.fuzz.seed", DEFAULT_SEED);
    private Path home;
    private int port;
    private HttpProbe http;
    private RuntimeProcess runtime;
    private String viewerKey;
    private String operatorKey;
    private String executionId;
    private Snapshot before;
    private List<Operation> operations;
    /** Every field of every body, for the wrong-value sweep. */
    private List<Field> fields;
    private List<String> hostileValues;
    /** The least role of each operation ("METHOD path"), from the OpenAPI document's x-required-role. */
    private final Map<String, String> requiredRoles = new TreeMap<>();

    private final Map<String, LongAdder> statusCounts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> categoryCounts = new ConcurrentHashMap<>();
    /** Violations by kind (what, status, method and route), each with its count and its first examples. */
    private final Map<String, LongAdder> violationCounts = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<String>> violationExamples = new ConcurrentHashMap<>();
    /** Keys the fuzz created legitimately, as their 201 answers described them (without the secret). */
    private final Map<String, JsonNode> keysCreatedByFuzz = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        port = DistributionLayout.freePort();
        Path work = Files.createDirectories(Paths.get(System.getProperty("java.io.tmpdir"), "e2e"));
        home = DistributionLayout.fromSystemProperty().copyTo(Files.createTempDirectory(work, "rest-fuzz-"), port);
        http = new HttpProbe(port);
        Path script = Files.writeString(home.resolve("etc/fuzz-script.json"),
                "{\"model\":\"scripted-fuzz\",\"responses\":[{\"text\":\"Hello, team.\"}]}");
        Files.writeString(home.resolve("etc/io.mcpagent.provider.scripted~scripted.cfg.json"),
                "{ \"script\": " + JSON.writeValueAsString(script.toString()) + ", \"loop\": true }\n");
        // At the default rate limits (20 a second per key) most of the storm would be answered 429 before any
        // validation, and at the default of 20 failed authentications a minute per address so would every request
        // from 127.0.0.1 after the first 20 without a valid key: raised, so the limiter and the throttle still see
        // every request but let the fuzz through.
        Files.writeString(home.resolve("etc/io.mcpagent.http.cfg.json"), "{ \"rateLimitPerSecond\": 100000,"
                + " \"rateLimitBurst\": 100000, \"tenantRateLimitPerSecond\": 100000,"
                + " \"tenantRateLimitBurst\": 100000, \"maxFailedAuthenticationsPerMinute\": 100000 }\n");
        runtime = RuntimeProcess.start(home, Map.of("MCPAGENT_ADMIN_KEY", ADMIN_KEY));
        awaitReady();
    }

    @AfterAll
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    private void awaitReady() throws InterruptedException {
        // ready, not only live: every service the requests need, the autonomous layer included, is up
        Await.value(() -> http.get("/api/v1/health/ready", null).status(), s -> s == 200, START,
                () -> "runtime not ready (/api/v1/health/ready); output:\n" + runtime.output());
        Await.value(() -> http.get("/api/v1/plugins", ADMIN_KEY).body(),
                b -> b.contains("\"scripted\"") && b.contains("\"system\"") && b.contains("\"direct\""), START,
                () -> "scripted provider, system server or direct pattern not registered; output:\n"
                        + runtime.output());
    }

    @Test
    @Order(1)
    void seedKeysAnExecutionAndTheOperationsToFuzz() throws Exception {
        viewerKey = createKey("viewer");
        operatorKey = createKey("operator");
        HttpProbe.Reply ran = http.send(jsonPost("/api/v1/autonomous/execute",
                "{\"task\":\"greet the team in one sentence\",\"pattern\":\"direct\",\"provider\":\"scripted\","
                        + "\"wait\":30}"), ADMIN_KEY);
        assertEquals(200, ran.status(), ran.body());
        executionId = ran.json().path("executionId").asText();
        Await.value(() -> http.get("/api/v1/executions/" + executionId, ADMIN_KEY).json(),
                r -> "SUCCEEDED".equals(r.path("status").asText()) && r.has("steps"), START,
                () -> "no finished record of " + executionId);
        before = snapshot();

        operations = operations();
        http.get("/api/v1/openapi.json", null).json().path("paths").properties().forEach(path ->
                path.getValue().properties().forEach(op -> {
                    if (!op.getKey().equals("parameters")) {
                        requiredRoles.put(op.getKey().toUpperCase() + " " + path.getKey(),
                                op.getValue().path("x-required-role").asText("none"));
                    }
                }));
        Set<String> fuzzed = operations.stream().map(Operation::key).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(requiredRoles.keySet()), fuzzed,
                "the fuzz covers exactly the operations of /api/v1/openapi.json");
        fields = new ArrayList<>();
        for (Operation operation : operations) {
            for (ObjectNode body : operation.bodies()) {
                for (String pointer : pointers(body, "")) {
                    fields.add(new Field(operation, body, pointer));
                }
            }
        }
        hostileValues = hostileValues();
    }

    @Test
    @Order(2)
    void tenThousandHostileRequestsGetNoServerErrorAndWellFormedErrors() throws Exception {
        int coverage = operations.size() * CREDENTIALS.size();
        int sweep = fields.size() * hostileValues.size();
        System.out.println("REST fuzz: seed " + seed + " (-Dmcpagent.fuzz.seed=<n> to change), " + REQUESTS
                + " requests: " + coverage + " coverage, " + sweep + " wrong field values, the rest random");
        long started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        for (int batchEnd = BATCH; batchEnd <= REQUESTS; batchEnd += BATCH) {
            int end = batchEnd;
            try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < WORKERS; w++) {
                    workers.submit(() -> {
                        for (int index = next.getAndIncrement(); index < end; index = next.getAndIncrement()) {
                            fuzz(index, coverage, sweep);
                        }
                    });
                }
            }
            next.set(end);
            Await.value(() -> http.get("/api/v1/health/live", null).status(), s -> s == 200, Duration.ofSeconds(10),
                    () -> "the server stopped answering /api/v1/health/live after " + end + " fuzz requests; output:\n"
                            + tail(runtime.output()) + "\n" + summary(started));
        }
        System.out.println(summary(started));
        long total = categoryCounts.values().stream().mapToLong(LongAdder::sum).sum();
        assertTrue(total >= 10_000, "only " + total + " requests were sent");
        assertTrue(violationCounts.isEmpty(), summary(started));
    }

    private void fuzz(int index, int coverage, int sweep) {
        FuzzRequest request;
        try {
            request = generate(index, coverage, sweep);
        } catch (RuntimeException e) {
            violationCounts.computeIfAbsent("the fuzz could not generate request " + index + ": " + e,
                    k -> new LongAdder()).increment();
            return;
        }
        categoryCounts.computeIfAbsent(request.category(), c -> new LongAdder()).increment();
        check(request, send(request));
    }

    @Test
    @Order(3)
    void afterTheStormAndARestartNothingStoredIsCorrupted() throws Exception {
        assertEquals(200, http.get("/api/v1/status", ADMIN_KEY).status(), "the admin key still works");
        assertUnchanged(snapshot(), "right after the fuzz");

        // The key file and the history on disk: a start without MCPAGENT_ADMIN_KEY reads the keys from the file.
        runtime.close();
        runtime = RuntimeProcess.start(home, Map.of());
        awaitReady();
        assertUnchanged(snapshot(), "after a restart");
        assertEquals(200, http.get("/api/v1/status", viewerKey).status(), "the viewer key still works");
        assertEquals(403, http.get("/api/v1/keys", viewerKey).status(), "a viewer is no admin");
        assertEquals(403, http.get("/api/v1/keys", operatorKey).status(), "an operator is no admin");
    }

    // ---- seeding and integrity ------------------------------------------------------------------------------------

    private String createKey(String role) throws Exception {
        HttpProbe.Reply created = http.send(jsonPost("/api/v1/keys", "{\"role\":\"" + role + "\",\"name\":\"fuzz "
                + role + "\"}"), ADMIN_KEY);
        assertEquals(201, created.status(), created.body());
        return created.json().path("key").asText();
    }

    private HttpRequest.Builder jsonPost(String path, String body) {
        return HttpRequest.newBuilder(http.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private Snapshot snapshot() throws Exception {
        JsonNode keys = http.get("/api/v1/keys?limit=1000", ADMIN_KEY).json().path("keys");
        List<String> plugins = new ArrayList<>();
        for (JsonNode plugin : http.get("/api/v1/plugins?limit=1000", ADMIN_KEY).json().path("plugins")) {
            plugins.add(plugin.path("id").asText() + " " + plugin.path("kind").asText() + " "
                    + plugin.path("version").asText() + " " + plugin.path("name").asText());
        }
        List<String> servers = new ArrayList<>();
        for (JsonNode server : http.get("/api/v1/servers?limit=1000", ADMIN_KEY).json().path("servers")) {
            servers.add(server.path("id").asText() + " " + server.path("name").asText() + " "
                    + server.path("transport").asText());
        }
        JsonNode execution = http.get("/api/v1/executions/" + executionId, ADMIN_KEY).json();
        Collections.sort(plugins);
        Collections.sort(servers);
        return new Snapshot(keys, plugins, servers, execution);
    }

    private void assertUnchanged(Snapshot after, String when) {
        Map<String, JsonNode> expected = byId(before.keys());
        expected.putAll(keysCreatedByFuzz);
        Map<String, JsonNode> keysAfter = byId(after.keys());
        assertEquals(expected.keySet(), keysAfter.keySet(), when + ": the keys are those before plus those the fuzz"
                + " created");
        expected.forEach((id, key) -> assertEquals(key, keysAfter.get(id), when + ": key " + id + " as created"));
        assertEquals(before.plugins(), after.plugins(), when + ": the plugins");
        assertEquals(before.servers(), after.servers(), when + ": the MCP servers");
        assertEquals(before.execution(), after.execution(), when + ": the seeded execution record " + executionId);
    }

    private static Map<String, JsonNode> byId(JsonNode keys) {
        Map<String, JsonNode> byId = new TreeMap<>();
        keys.forEach(key -> byId.put(key.path("id").asText(), key));
        return byId;
    }

    // ---- sending and checking -------------------------------------------------------------------------------------

    private Outcome send(FuzzRequest request) {
        try {
            if (request.raw() != null) {
                return exchangeRaw(request.raw(), request.method());
            }
            HttpRequest.Builder builder;
            try {
                builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.target()));
                HttpRequest.BodyPublisher bytes = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body());
                // Without a length java.net.http sends the body chunked.
                HttpRequest.BodyPublisher body = request.chunked() ? HttpRequest.BodyPublishers.fromPublisher(bytes)
                        : bytes;
                builder.method(request.method(), body);
                for (String[] header : request.headers()) {
                    builder.header(header[0], header[1]);
                }
            } catch (IllegalArgumentException refused) {
                return exchangeRaw(serialize(request), request.method());
            }
            HttpProbe.Reply reply = http.send(builder, null);
            var headers = reply.raw().headers();
            return new Outcome(reply.status(), headers.firstValue("Content-Type").orElse(null),
                    headers.firstValue("Allow").orElse(null), headers.firstValue("WWW-Authenticate").orElse(null),
                    headers.firstValue(INJECTED).isPresent(), reply.body());
        } catch (HttpTimeoutException | SocketTimeoutException e) {
            return new Outcome(-1, null, null, null, false, e.toString());
        } catch (IllegalArgumentException e) {
            // java.net.http refused the request only when sending it (e.g. a URI it cannot use)
            try {
                return exchangeRaw(serialize(request), request.method());
            } catch (IOException raw) {
                return new Outcome(0, null, null, null, false, raw.toString());
            }
        } catch (IOException e) {
            return new Outcome(0, null, null, null, false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, null, null, null, false, e.toString());
        }
    }

    private Outcome exchangeRaw(byte[] bytes, String method) throws IOException {
        List<RawHttp.Response> responses;
        try {
            responses = RawHttp.exchange(port, bytes, ANSWER, "HEAD".equals(method));
        } catch (SocketTimeoutException e) {
            return new Outcome(-1, null, null, null, false, e.toString());
        }
        if (responses.isEmpty()) {
            return new Outcome(0, null, null, null, false, "");
        }
        // Pipelined requests get several answers: the worst one counts.
        RawHttp.Response worst = responses.stream().max((a, b) -> Integer.compare(a.status(), b.status())).get();
        return Outcome.of(worst);
    }

    /** The request as HTTP/1.1 bytes, exactly as given, plus Host, a length or chunking, and Connection: close. */
    private byte[] serialize(FuzzRequest request) {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target())
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n");
        for (String[] header : request.headers()) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (request.chunked()) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (request.body() != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(head.toString()));
        if (request.chunked()) {
            out.writeBytes(bytes(Integer.toHexString(body.length) + "\r\n"));
            out.writeBytes(body);
            out.writeBytes(bytes("\r\n0\r\n\r\n"));
        } else {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private void check(FuzzRequest request, Outcome outcome) {
        String status = switch (outcome.status()) {
            case 0 -> "closed without answer";
            case -1 -> "no answer in time";
            default -> Integer.toString(outcome.status());
        };
        statusCounts.computeIfAbsent(status, s -> new LongAdder()).increment();
        if (outcome.status() == -1) {
            violation(request, outcome, "no answer within " + ANSWER.toSeconds() + " s");
        }
        if (outcome.status() >= 500 && !(outcome.status() == 505 && !http1RequestLine(request))) {
            violation(request, outcome, "a server error");
        }
        if (outcome.injected()) {
            violation(request, outcome, "the response carries the injected header " + INJECTED);
        }
        boolean json = outcome.contentType() != null && outcome.contentType().contains("json")
                && !"HEAD".equals(request.method()) && !outcome.body().isEmpty();
        if (!json) {
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(outcome.body());
        } catch (IOException e) {
            violation(request, outcome, "a JSON content type but no JSON body");
            return;
        }
        if (outcome.status() >= 400) {
            checkErrorShape(request, outcome, body);
        } else if (outcome.status() == 201 && body.has("key") && body.has("role")) {
            keysCreatedByFuzz.put(body.path("id").asText(), ((ObjectNode) body.deepCopy()).without("key"));
        } else if (body.has("executionId") && body.has("plan")) {
            violation(request, outcome, "the fuzz started a real execution (a body meant to be refused or a dry run)");
        } else if (body.has("configFile")) {
            violation(request, outcome, "the fuzz installed an MCP server (a body meant to be refused)");
        }
    }

    /**
     * Whether the request line names HTTP/1.0 or 1.1. Only to a request line that does not (HTTP/0.9, HTTP/2.0 or
     * 9.9 over HTTP/1.1, CR LF in the path cutting the version off) is 505 the answer RFC 9110 prescribes, given by
     * Jetty's parser before any of our code runs; a 505 to an HTTP/1.x request is a failure like any 5xx.
     */
    private boolean http1RequestLine(FuzzRequest request) {
        byte[] bytes = request.raw() != null ? request.raw() : serialize(request);
        String sent = new String(bytes, StandardCharsets.ISO_8859_1).replaceFirst("^[\r\n]+", "");
        String line = sent.split("\n", 2)[0].replace("\r", "");
        return line.endsWith(" HTTP/1.1") || line.endsWith(" HTTP/1.0");
    }

    private void checkErrorShape(FuzzRequest request, Outcome outcome, JsonNode body) {
        if (!body.isObject() || !body.path("error").isTextual() || !body.path("message").isTextual()
                || body.path("message").asText().isBlank()) {
            violation(request, outcome, "an error body without a string \"error\" and a non-empty \"message\"");
            return;
        }
        Set<String> names = new TreeSet<>();
        body.fieldNames().forEachRemaining(names::add);
        names.removeAll(ERROR_FIELDS);
        if (!names.isEmpty()) {
            violation(request, outcome, "an error body with undocumented fields " + names);
        }
        if (outcome.status() == 401 && outcome.authenticate() == null) {
            violation(request, outcome, "a 401 without WWW-Authenticate");
        }
        if (outcome.status() == 405 && outcome.allow() == null) {
            violation(request, outcome, "a 405 without Allow");
        }
    }

    private void violation(FuzzRequest request, Outcome outcome, String what) {
        String kind = what + ": " + outcome.status() + " to " + visible(shorten(request.method(), 20)) + " "
                + route(request.target()) + " [" + request.category() + "]";
        violationCounts.computeIfAbsent(kind, k -> new LongAdder()).increment();
        ConcurrentLinkedQueue<String> examples = violationExamples.computeIfAbsent(kind,
                k -> new ConcurrentLinkedQueue<>());
        if (examples.size() < 3) {
            examples.add(request.describe() + "\n        -> " + outcome.status() + " "
                    + visible(shorten(outcome.body(), 400)));
        }
    }

    /** The path up to its third segment below /api/v1, for grouping violations. */
    private static String route(String target) {
        String path = target.split("\\?", 2)[0];
        String[] segments = path.split("/", -1);
        return visible(shorten(segments.length <= 5 ? path : String.join("/", List.of(segments).subList(0, 5))
                + "/...", 80));
    }

    /** The log lines of a 500's correlation id: where the server says what failed. */
    private String logged(String example) {
        Matcher id = CORRELATION.matcher(example);
        Path log = home.resolve("data/log/mcp-agent.log");
        if (!id.find() || !Files.isRegularFile(log)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(id.group(1))) {
                    return "\n        log: " + String.join("\n             ", lines.subList(i, Math.min(i + 6,
                            lines.size())).stream().map(l -> shorten(l, 300)).toList());
                }
            }
        } catch (IOException e) {
            return "\n        log unreadable: " + e;
        }
        return "";
    }

    private String summary(long startedNanos) {
        long total = categoryCounts.values().stream().mapToLong(LongAdder::sum).sum();
        StringBuilder summary = new StringBuilder("REST fuzz, seed " + seed + ": " + total + " requests in "
                + Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds() + " s\n  by status: ");
        new TreeMap<>(statusCounts).forEach((s, n) -> summary.append(s).append('=').append(n.sum()).append(' '));
        summary.append("\n  by category: ");
        new TreeMap<>(categoryCounts).forEach((c, n) -> summary.append(c).append('=').append(n.sum()).append(' '));
        summary.append("\n  keys the fuzz created (legitimately): ").append(keysCreatedByFuzz.size());
        long violations = violationCounts.values().stream().mapToLong(LongAdder::sum).sum();
        summary.append("\n  violations: ").append(violations).append(" of ").append(violationCounts.size())
                .append(" kinds");
        violationCounts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(kind -> {
                    summary.append("\n  - ").append(kind.getValue().sum()).append(" x ").append(kind.getKey());
                    violationExamples.getOrDefault(kind.getKey(), new ConcurrentLinkedQueue<>()).forEach(example ->
                            summary.append("\n      e.g. ").append(example).append(logged(example)));
                });
        return summary.toString();
    }

    // ---- the operations and the values to fuzz them with ---------------------------------------------------------

    private List<Operation> operations() throws IOException {
        String plan = "\"task\":\"summarise the notes in a folder\",\"tenant\":\"default\",\"pattern\":\"direct\","
                + "\"provider\":\"scripted\",\"model\":\"scripted-fuzz\",\"allowInstall\":false,\"maxAgents\":2";
        return List.of(
                new Operation("GET", "/api/v1/health", List.of()),
                new Operation("GET", "/api/v1/health/live", List.of()),
                new Operation("GET", "/api/v1/health/ready", List.of()),
                new Operation("GET", "/api/v1/openapi.json", List.of()),
                new Operation("GET", "/api/v1/status", List.of()),
                new Operation("GET", "/api/v1/plugins", List.of()),
                new Operation("GET", "/api/v1/plugins/{id}", List.of()),
                new Operation("GET", "/api/v1/servers", List.of()),
                new Operation("GET", "/api/v1/servers/discover", List.of()),
                new Operation("GET", "/api/v1/servers/catalog", List.of()),
                new Operation("GET", "/api/v1/servers/{name}", List.of()),
                new Operation("POST", "/api/v1/servers/install", List.of(object("{\"id\":\"fuzz-no-such-entry\"}"))),
                new Operation("DELETE", "/api/v1/servers/{name}", List.of()),
                new Operation("GET", "/api/v1/servers/{name}/tools", List.of()),
                new Operation("POST", "/api/v1/servers/{name}/tools/{tool}/call",
                        List.of(object("{\"timezone\":\"Europe/Berlin\"}"))),
                new Operation("GET", "/api/v1/providers", List.of()),
                new Operation("GET", "/api/v1/providers/usage", List.of()),
                new Operation("GET", "/api/v1/providers/{id}", List.of()),
                new Operation("GET", "/api/v1/providers/{id}/models", List.of()),
                new Operation("POST", "/api/v1/providers/{id}/chat", List.of(
                        object("{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"system\":\"be brief\","
                                + "\"model\":\"scripted-fuzz\",\"maxTokens\":16,\"temperature\":0.5}"),
                        object("{\"prompt\":\"hello\"}"))),
                new Operation("POST", "/api/v1/autonomous/analyze",
                        List.of(object("{\"task\":\"summarise the notes in a folder\",\"tenant\":\"default\"}"))),
                new Operation("POST", "/api/v1/autonomous/plan", List.of(object("{" + plan + "}"))),
                new Operation("POST", "/api/v1/autonomous/execute", List.of(object("{" + plan + ",\"dryRun\":true,"
                        + "\"maxTokens\":1000,\"maxCostUsd\":0.5,\"maxSeconds\":60,\"wait\":0}"))),
                new Operation("POST", "/api/v1/agents/create", List.of(object("{" + plan + "}"))),
                new Operation("GET", "/api/v1/executions", List.of()),
                new Operation("GET", "/api/v1/executions/{id}", List.of()),
                new Operation("DELETE", "/api/v1/executions/{id}", List.of()),
                new Operation("GET", "/api/v1/executions/{id}/events", List.of()),
                new Operation("GET", "/api/v1/keys", List.of()),
                // Mostly a role that does not exist; keys created with the valid one are tracked.
                new Operation("POST", "/api/v1/keys", List.of(object("{\"role\":\"fuzz-no-such-role\",\"name\":\"k\"}"),
                        object("{\"role\":\"viewer\",\"name\":\"fuzz name\"}"))),
                new Operation("DELETE", "/api/v1/keys/{id}", List.of()),
                new Operation("GET", "/api/v1/audit", List.of()),
                new Operation("GET", "/metrics", List.of()));
    }

    private static ObjectNode object(String json) throws IOException {
        return (ObjectNode) JSON.readTree(json);
    }

    /** The JSON pointers of every member and element below {@code node}, plus an unknown member at the top. */
    private static List<String> pointers(JsonNode node, String at) {
        List<String> pointers = new ArrayList<>();
        if (at.isEmpty()) {
            pointers.add("/fuzzUnknown");
        }
        if (node.isObject()) {
            node.properties().forEach(e -> {
                pointers.add(at + "/" + e.getKey());
                pointers.addAll(pointers(e.getValue(), at + "/" + e.getKey()).stream()
                        .filter(p -> !p.equals("/fuzzUnknown")).toList());
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                pointers.add(at + "/" + i);
                pointers.addAll(pointers(node.get(i), at + "/" + i).stream()
                        .filter(p -> !p.equals("/fuzzUnknown")).toList());
            }
        }
        return pointers;
    }

    /** JSON texts of the wrong type, out of range, not numbers, odd unicode, hostile strings; some not JSON at all. */
    private static List<String> hostileValues() {
        return List.of("null", "true", "false", "0", "-1", "-0.0", "1.5", "2147483648", "-2147483649",
                "9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "1e-400", "4.9e-324",
                "123456789012345678901234567890.123456789", "1" + "0".repeat(900), "9".repeat(2_000),
                "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "\"1e400\"", "\"-1\"", "\"\"", "\"   \"",
                "\"true\"", "[]", "{}", "[null]", "[1,\"a\",{}]", "{\"a\":{\"b\":[]}}", "\"\\u0000\"", "\"\\ud800\"",
                "\"\\udc00tail\"", "\"\\ud800\\ud800\"", "\"\\u202egnp.exe\"", "\"\\ud83d\\ude00\"",
                "\"\\ufeff\\u200b\\u200d\\u0301\"", "\"\\u0007\\u001b[31m\"", "\"../../../../etc/passwd\"",
                "\"%2e%2e%2f%2e%2e%2f\"", "\"..\\\\..\\\\windows\\\\win.ini\"",
                "\"\\r\\n" + INJECTED + ": yes\"", "\"<script>alert(1)</script>\"", "\"' OR '1'='1' --\"",
                "\"${jndi:ldap://127.0.0.1:1/x}\"", "\"{{7*7}}\"", "\"" + "x".repeat(200_000) + "\"",
                "\"" + "\\ud83d\\ude00".repeat(5_000) + "\"");
    }

    // ---- generating requests --------------------------------------------------------------------------------------

    /**
     * Request {@code index}, the same for the same seed whatever the order requests are sent in: first every
     * operation with every credential, then every body field with every hostile value, then random categories.
     */
    private FuzzRequest generate(int index, int coverage, int sweep) {
        SplittableRandom random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        if (index < coverage) {
            Operation operation = operations.get(index / CREDENTIALS.size());
            String credential = CREDENTIALS.get(index % CREDENTIALS.size());
            return structured("coverage", operation.method(), instantiate(operation, random, false)
                    + validQuery(operation), credential(credential, random), validBody(operation, random), random);
        }
        if (index < coverage + sweep) {
            int k = index - coverage;
            Field field = fields.get(k / hostileValues.size());
            Operation operation = field.operation();
            String body = withValueAt(field, hostileValues.get(k % hostileValues.size()));
            return structured("wrong-field-value", operation.method(), instantiate(operation, random, false),
                    sufficient(operation, random), utf8(body), random);
        }
        int category = random.nextInt(100);
        if (category < 12) {
            return bodyMutation(random);
        } else if (category < 22) {
            return brokenJson(random);
        } else if (category < 26) {
            return deepNesting(random);
        } else if (category < 27) {
            return hugeBody(random);
        } else if (category < 35) {
            return oddUnicode(random);
        } else if (category < 47) {
            return pathTraversal(random);
        } else if (category < 57) {
            return hostileQuery(random);
        } else if (category < 65) {
            return hostileAuthentication(random);
        } else if (category < 71) {
            return wrongContentType(random);
        } else if (category < 77) {
            return oddMethod(random);
        } else if (category < 83) {
            return undocumentedPath(random);
        }
        return rawFraming(random);
    }

    private FuzzRequest structured(String category, String method, String target, List<String[]> headers,
                                   byte[] body, SplittableRandom random) {
        List<String[]> all = new ArrayList<>(headers);
        if (body != null) {
            all.add(new String[] {"Content-Type", "application/json"});
        }
        return new FuzzRequest(category, method, target, all, body, body != null && random.nextInt(10) == 0, null);
    }

    private Operation anyOperation(SplittableRandom random) {
        return operations.get(random.nextInt(operations.size()));
    }

    private Operation bodyOperation(SplittableRandom random) {
        List<Operation> withBodies = operations.stream().filter(o -> !o.bodies().isEmpty()).toList();
        return withBodies.get(random.nextInt(withBodies.size()));
    }

    /** The operation's path with valid values for its parameters, or hostile ones. */
    private String instantiate(Operation operation, SplittableRandom random, boolean hostile) {
        String path = operation.path();
        for (String parameter : List.of("id", "name", "tool")) {
            String value = hostile ? hostileSegment(random) : switch (parameter) {
                case "id" -> path.startsWith("/api/v1/executions") ? executionId
                        : path.startsWith("/api/v1/keys") ? "fuzzabsentkey" : "scripted";
                // DELETE of a real server would uninstall it: the fuzz deletes only servers that do not exist.
                case "name" -> operation.method().equals("DELETE") ? "fuzzabsentserver" : "system";
                default -> "current_time";
            };
            path = path.replace("{" + parameter + "}", value);
        }
        return path;
    }

    private static String validQuery(Operation operation) {
        return operation.path().equals("/api/v1/servers/discover") ? "?task=remember+facts&limit=3" : "";
    }

    private byte[] validBody(Operation operation, SplittableRandom random) {
        if (operation.bodies().isEmpty()) {
            return null;
        }
        // Keys: the template with the role that does not exist, so valid requests do not pile up keys.
        return utf8(operation.bodies().get(operation.path().equals("/api/v1/keys") ? 0
                : random.nextInt(operation.bodies().size())).toString());
    }

    private List<String[]> credential(String which, SplittableRandom random) {
        String key = switch (which) {
            case "viewer" -> viewerKey;
            case "operator" -> operatorKey;
            case "admin" -> ADMIN_KEY;
            case "bogus" -> "mcpa_fuzz_" + Long.toHexString(random.nextLong());
            default -> null;
        };
        if (key == null) {
            return List.of();
        }
        return List.<String[]>of(random.nextBoolean() ? new String[] {"X-Api-Key", key}
                : new String[] {"Authorization", "Bearer " + key});
    }

    private List<String[]> anyCredential(SplittableRandom random) {
        return credential(CREDENTIALS.get(random.nextInt(CREDENTIALS.size())), random);
    }

    /** A key with the operation's role or more, so a body gets past authorisation to validation. */
    private List<String[]> sufficient(Operation operation, SplittableRandom random) {
        String role = requiredRoles.get(operation.key());
        return credential(random.nextBoolean() ? "admin" : role.equals("none") ? "viewer" : role, random);
    }

    /**
     * The field's body with {@code rawJson} (any JSON text, even invalid) as the field's value, defused: an
     * execution that could run is pointed at a pattern that does not exist, and nothing may install servers.
     */
    private String withValueAt(Field field, String rawJson) {
        String hole = "\u0001fuzz-hole\u0001";
        ObjectNode body = field.body().deepCopy();
        put(body, field.pointer(), hole);
        defuse(field, body);
        String value = field.pointer().equals("/allowInstall") && rawJson.equals("true") ? "\"true\"" : rawJson;
        try {
            return body.toString().replace(JSON.writeValueAsString(hole), value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the fuzz touches an execution's dryRun, the execution names a pattern that does not exist. */
    private static void defuse(Field field, ObjectNode body) {
        if (field.operation().path().equals("/api/v1/autonomous/execute") && field.pointer().equals("/dryRun")) {
            body.put("pattern", ABSENT_PATTERN);
        }
    }

    private static void put(ObjectNode body, String pointer, String text) {
        JsonPointer at = JsonPointer.compile(pointer);
        JsonNode parent = body.at(at.head());
        if (parent instanceof ObjectNode object) {
            object.put(at.last().getMatchingProperty(), text);
        } else if (parent instanceof ArrayNode array) {
            array.set(at.last().getMatchingIndex(), array.textNode(text));
        }
    }

    private String randomHostileValue(SplittableRandom random) {
        return hostileValues.get(random.nextInt(hostileValues.size()));
    }

    /** Replaces, removes or adds one field, or repeats "task". */
    private FuzzRequest bodyMutation(SplittableRandom random) {
        Field field = fields.get(random.nextInt(fields.size()));
        Operation operation = field.operation();
        String body;
        switch (random.nextInt(3)) {
            case 0 -> {
                ObjectNode copy = field.body().deepCopy();
                JsonPointer at = JsonPointer.compile(field.pointer());
                if (copy.at(at.head()) instanceof ObjectNode parent) {
                    parent.remove(at.last().getMatchingProperty());
                } else if (copy.at(at.head()) instanceof ArrayNode parent) {
                    parent.remove(at.last().getMatchingIndex());
                }
                defuse(field, copy);
                body = copy.toString();
            }
            case 1 -> {
                String text = field.body().toString();
                body = text.substring(0, text.length() - 1) + ",\"task\":" + randomHostileValue(random) + "}";
            }
            default -> body = withValueAt(field, randomHostileValue(random));
        }
        return structured("body-mutation", operation.method(), instantiate(operation, random, false),
                sufficient(operation, random), utf8(body), random);
    }

    private FuzzRequest brokenJson(SplittableRandom random) {
        Operation operation = bodyOperation(random);
        String valid = operation.bodies().get(0).toString();
        int cut = 1 + random.nextInt(valid.length() - 1);
        String body = switch (random.nextInt(16)) {
            case 0 -> valid.substring(0, cut);
            case 1 -> valid.substring(0, cut) + valid.substring(cut + 1);
            case 2 -> valid.substring(0, cut) + "{}[]\",:\\".charAt(random.nextInt(8)) + valid.substring(cut);
            case 3 -> valid.replace('"', '\'');
            case 4 -> valid.replaceAll("\"(\\w+)\":", "$1:");
            case 5 -> valid.substring(0, valid.length() - 1) + ",}";
            case 6 -> "// comment\n" + valid;
            case 7 -> valid + "}}}";
            case 8 -> valid + valid;
            case 9 -> "\uFEFF" + valid;
            case 10 -> "";
            case 11 -> "   \n\t ";
            case 12 -> List.of("null", "[]", "\"text\"", "1", "true", "[{}]").get(random.nextInt(6));
            case 13 -> "{\"task\":\"unterminated";
            case 14 -> "{\"task\":\"bad escape \\x41 \\u12\"}";
            default -> "<?xml version=\"1.0\"?><task>x</task>";
        };
        return structured("broken-json", operation.method(), instantiate(operation, random, false),
                sufficient(operation, random), utf8(body), random);
    }

    private FuzzRequest deepNesting(SplittableRandom random) {
        Operation operation = bodyOperation(random);
        String deep = switch (random.nextInt(4)) {
            case 0 -> "[".repeat(DEEP) + "]".repeat(DEEP);
            case 1 -> "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP);
            case 2 -> "[{\"a\":".repeat(DEEP / 2) + "null" + "}]".repeat(DEEP / 2);
            default -> "[".repeat(DEEP); // never closed
        };
        String body = random.nextBoolean() ? deep : withValueAt(fieldOf(operation, random), deep);
        return structured("deep-nesting", operation.method(), instantiate(operation, random, false),
                sufficient(operation, random), utf8(body), random);
    }

    /** Bodies at and beyond the limit, with a length or chunked. */
    private FuzzRequest hugeBody(SplittableRandom random) {
        Operation operation = bodyOperation(random);
        int size = List.of(BODY_LIMIT, BODY_LIMIT + 1, BODY_LIMIT + 4096, 3 * BODY_LIMIT).get(random.nextInt(4));
        String prefix = "{\"task\":\"";
        String body = prefix + "a".repeat(size - prefix.length() - 2) + "\"}";
        List<String[]> headers = new ArrayList<>(sufficient(operation, random));
        headers.add(new String[] {"Content-Type", "application/json"});
        return new FuzzRequest("huge-body", operation.method(), instantiate(operation, random, false), headers,
                utf8(body), random.nextBoolean(), null);
    }

    /** Odd unicode in a string field (escaped or as UTF-8), invalid UTF-8 bytes in a body, odd unicode in paths. */
    private FuzzRequest oddUnicode(SplittableRandom random) {
        Operation operation = bodyOperation(random);
        String[] odd = {"\u202Eevil\u202C", "\u0000nul", "\uD83D\uDE00\uD83D\uDC68\u200D\uD83D\uDC69", "\uFEFF",
                "e\u0301\u0301\u0301", "\uFFFF\uFFFE", "\u2028\u2029", "\uD800", "\uDC00", "\u0085next line",
                "\u00ad\u034f\u180e"};
        byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {0},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80,
                (byte) 0x80, (byte) 0x80}};
        Field field = fieldOf(operation, random);
        String marker = "FUZZMARK";
        String text = withValueAt(field, "\"" + marker + "\"");
        byte[] body;
        switch (random.nextInt(3)) {
            case 0 -> body = utf8(text.replace(marker, escaped(odd[random.nextInt(odd.length)])));
            case 1 -> body = utf8(text.replace(marker, odd[random.nextInt(odd.length)].replace("\u0000", "")));
            default -> {
                int at = text.indexOf(marker);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(utf8(text.substring(0, at)));
                out.writeBytes(invalid[random.nextInt(invalid.length)]);
                out.writeBytes(utf8(text.substring(at + marker.length())));
                body = out.toByteArray();
            }
        }
        if (random.nextInt(4) == 0) {
            Operation any = anyOperation(random);
            String segment = List.of("%E2%80%AE", "%00", "%F0%9F%98%80", "%ED%A0%80", "%C0%AF", "%FF%FE", "%EF%BB%BF",
                    "%E2%80%A8").get(random.nextInt(8));
            String path = any.path().contains("{") ? any.path().replaceAll("\\{[a-z]+}", segment)
                    : any.path() + "/" + segment;
            return structured("odd-unicode", any.method(), path, sufficient(any, random), validBody(any, random),
                    random);
        }
        return structured("odd-unicode", operation.method(), instantiate(operation, random, false),
                sufficient(operation, random), body, random);
    }

    /** One of the operation's body fields, not the unknown one. */
    private Field fieldOf(Operation operation, SplittableRandom random) {
        List<Field> known = fields.stream().filter(f -> f.operation() == operation
                && !f.pointer().equals("/fuzzUnknown")).toList();
        return known.get(random.nextInt(known.size()));
    }

    private static String hostileSegment(SplittableRandom random) {
        List<String> segments = List.of("..", "../..", "..%2f..", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2F",
                "a%2Fb", "%5c..%5c", "%00", "%", "%zz", "%25", "%25zz", "%252e%252e%252f", "%C0%AE%C0%AE", "%ED%A0%80",
                "%E2%80%AE", "%F0%9F%98%80", ";", ";a=b", "~", "%20", "+", "*", "a".repeat(5_000), "%FF%FE", ".",
                "%0d%0a" + INJECTED + ":%20yes", "%2e", "..;", "%u002e%u002e", "....//", "%3f", "%23",
                "fuzz%2fabsent", "mcpa_x_y");
        return segments.get(random.nextInt(segments.size()));
    }

    private FuzzRequest pathTraversal(SplittableRandom random) {
        Operation operation = anyOperation(random);
        String target;
        switch (random.nextInt(4)) {
            case 0, 1 -> target = operation.path().contains("{") ? instantiate(operation, random, true)
                    : operation.path() + "/" + hostileSegment(random);
            case 2 -> {
                String path = instantiate(operation, random, false);
                int slash = path.lastIndexOf('/');
                target = path.substring(0, slash) + "/" + List.of("../keys", "..%2fkeys", "%2e%2e/keys",
                        "%2e%2e%2fkeys", "./", "//", "/./.", "..;/keys", ".%2e/keys").get(random.nextInt(9))
                        + path.substring(slash);
            }
            default -> {
                // backslashes and bare dots java.net.http will not send: raw
                String path = instantiate(operation, random, false);
                target = path.replace("/", List.of("\\", "/..\\", "\\..\\..\\", "/./").get(random.nextInt(4)));
            }
        }
        return structured("path-traversal", operation.method(), target, sufficient(operation, random),
                validBody(operation, random), random);
    }

    private FuzzRequest hostileQuery(SplittableRandom random) {
        Operation operation = anyOperation(random);
        String name = List.of("limit", "offset", "max", "kind", "task", "status", "tenant", "from", "to",
                "timeoutSeconds", "fuzz").get(random.nextInt(11));
        String query = switch (random.nextInt(12)) {
            case 0 -> name + "=" + List.of("0", "-1", "1001", "abc", "1e3", "99999999999999999999", "%00", "+5",
                    "2147483648", "-2147483649", "NaN", "0x10", "%20", "1.0", "").get(random.nextInt(15));
            case 1 -> name + "=1&" + name + "=2&" + name + "=abc";
            case 2 -> name + "=" + "a".repeat(50_000);
            case 3 -> name + "=%zz&" + name + "=%";
            case 4 -> name + "=%C0%AF%ED%A0%80%FF";
            case 5 -> "%FF%FE=1&=&&&=x";
            case 6 -> "x=" + "&y".repeat(3_000);
            case 7 -> name + "=%0d%0a" + INJECTED + ":%20yes";
            case 8 -> "from=2026-13-45T99:99:99Z&to=not-a-date";
            case 9 -> "from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z&status=RUNNING%00";
            case 10 -> name + "=%E2%80%AE%F0%9F%98%80";
            default -> name + "[]=1&" + name + "[a]=2&" + name + ".x=3";
        };
        String path = instantiate(operation, random, false);
        String existing = validQuery(operation);
        String target = path + (existing.isEmpty() ? "?" : existing + "&") + query;
        return structured("hostile-query", operation.method(), target, sufficient(operation, random),
                validBody(operation, random), random);
    }

    private FuzzRequest hostileAuthentication(SplittableRandom random) {
        Operation operation = anyOperation(random);
        String huge = "a".repeat(List.of(1_000, 9_000, 70_000).get(random.nextInt(3)));
        List<String[]> variants = List.of(
                new String[] {"Authorization", "Basic YWRtaW46YWRtaW4="},
                new String[] {"Authorization", "Bearer"},
                new String[] {"Authorization", "Bearer    "},
                new String[] {"Authorization", "bearer " + ADMIN_KEY},
                new String[] {"Authorization", "BEARER " + viewerKey},
                new String[] {"Authorization", "Bearer " + ADMIN_KEY + " extra"},
                new String[] {"Authorization", "Bearer\t" + operatorKey},
                new String[] {"Authorization", "Digest username=\"admin\", realm=\"x\", nonce=\"1\""},
                new String[] {"Authorization", "Negotiate YIIBhwYGKwYBBQUCoII="},
                new String[] {"Authorization", "Bearer " + huge},
                new String[] {"Authorization", "Bearer mcpa_" + huge + "_" + huge},
                new String[] {"Authorization", "Bearer " + viewerKey.substring(0, viewerKey.length() - 3) + "xyz"},
                new String[] {"Authorization", "Bearer mcpa__"},
                new String[] {"X-Api-Key", ""},
                new String[] {"X-Api-Key", "   "},
                new String[] {"X-Api-Key", "mcpa_"},
                new String[] {"X-Api-Key", huge},
                new String[] {"X-Api-Key", "\u00e9\u00ff\u0080"},
                new String[] {"X-Api-Key", ADMIN_KEY + "\r\n" + INJECTED + ": yes"},
                new String[] {"X-Api-Key", viewerKey + "\r\nX-Api-Key: " + ADMIN_KEY},
                new String[] {"X-Api-Key", ADMIN_KEY + "\u0000"},
                new String[] {"X-Api-Key", "\r\n\r\nGET /api/v1/keys HTTP/1.1"},
                new String[] {"X-Api-Key", "\uD83D\uDE00" + "\u202E"});
        List<String[]> headers = new ArrayList<>();
        headers.add(variants.get(random.nextInt(variants.size())));
        if (random.nextInt(4) == 0) {
            headers.addAll(anyCredential(random)); // two credentials at once
        }
        return structured("hostile-authentication", operation.method(), instantiate(operation, random, false)
                + validQuery(operation), headers, validBody(operation, random), random);
    }

    private FuzzRequest wrongContentType(SplittableRandom random) {
        Operation operation = bodyOperation(random);
        String contentType = List.of("text/plain", "application/xml", "multipart/form-data; boundary=fuzz",
                "multipart/form-data", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
                "application/json; charset=nonsense", "", "*/*", "application/json\u0000", "application/json;;;==",
                "application/octet-stream").get(random.nextInt(12));
        byte[] body = switch (random.nextInt(4)) {
            case 0 -> utf8("--fuzz\r\nContent-Disposition: form-data; name=\"task\"\r\n\r\nx\r\n--fuzz--\r\n");
            case 1 -> utf8("task=x&timeoutSeconds=%zz&limit=0");
            default -> validBody(operation, random);
        };
        List<String[]> headers = new ArrayList<>(sufficient(operation, random));
        headers.add(new String[] {"Content-Type", contentType});
        if (random.nextInt(5) == 0) {
            headers.add(new String[] {"Content-Encoding", List.of("gzip", "deflate", "br", "identity, gzip")
                    .get(random.nextInt(4))});
        }
        String target = instantiate(operation, random, false) + (random.nextBoolean() ? "?timeoutSeconds=5" : "");
        return new FuzzRequest("wrong-content-type", operation.method(), target, headers, body, false, null);
    }

    private FuzzRequest oddMethod(SplittableRandom random) {
        Operation operation = anyOperation(random);
        String method = List.of("TRACE", "OPTIONS", "PROPFIND", "PATCH", "PUT", "HEAD", "MKCOL", "COPY", "MOVE",
                "LOCK", "get", "Get", "FUZZ", "X".repeat(1_000), "CONNECT", "GET\u0000", "G E T", "POST\r\n" + INJECTED
                        + ": yes", "DELETE", "POST", "GET").get(random.nextInt(21));
        byte[] body = random.nextBoolean() ? validBody(bodyOperation(random), random) : null;
        List<String[]> headers = new ArrayList<>(anyCredential(random));
        if (body != null) {
            headers.add(new String[] {"Content-Type", "application/json"});
        }
        return new FuzzRequest("odd-method", method, instantiate(operation, random, false) + validQuery(operation),
                headers, body, false, null);
    }

    private FuzzRequest undocumentedPath(SplittableRandom random) {
        String path = List.of("/", "/api", "/api/", "/api/v1", "/api/v1/", "/api/v2/status", "/api/v1//status",
                "/api/v1/status/", "/api/v1/STATUS", "/api/v1/plugins/scripted/extra", "/api/v1/executions//events",
                "/api/v1/executions/" + executionId + "/events/extra", "/api/v1/keys/", "/api/v1/keys//x",
                "/api/v1/servers//tools", "/api/v1/servers/system/tools/", "/api/v1/servers/system/tools/uuid",
                "/api/v1/servers/system/tools/uuid/call/x", "/api/v1/providers/scripted/chat/x",
                "/api/v1/providers//chat", "/api/v1/autonomous", "/api/v1/autonomous/", "/api/v1/agents",
                "/api/v1/agents/create/x", "/metrics/x", "/api/v1/health/live/x", "/api/v1/openapi.json/x",
                "/api/v1/openapi.yaml", "/favicon.ico", "/api/v1/%2e%2e/%2e%2e/etc/passwd", "/api/v1/executions/x/y/z",
                "/api/v1/" + "x/".repeat(500), "/api/v1/executions/events").get(random.nextInt(33));
        String method = List.of("GET", "POST", "PUT", "DELETE", "PATCH").get(random.nextInt(5));
        byte[] body = method.equals("GET") ? null : validBody(bodyOperation(random), random);
        return structured("undocumented-path", method, path, anyCredential(random), body, random);
    }

    /** Broken HTTP framing java.net.http cannot send: written byte for byte over a socket. */
    private FuzzRequest rawFraming(SplittableRandom random) {
        Operation operation = anyOperation(random);
        String target = instantiate(operation, random, false) + validQuery(operation);
        List<String[]> auth = sufficient(operation, random);
        String credential = auth.get(0)[0] + ": " + auth.get(0)[1] + "\r\n";
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        String json = "{\"task\":\"x\"}";
        String line = operation.method() + " " + target + " HTTP/1.1\r\n";
        String request = switch (random.nextInt(34)) {
            case 0 -> line + host + credential + "X-Bad\u0000Name: v\r\n\r\n";
            case 1 -> line + host + credential + "X Bad: v\r\n\r\n";
            case 2 -> line + host + credential + "X-Bad : v\r\n\r\n";
            case 3 -> line + host + credential + ": novalue\r\nNoColonHere\r\n\r\n";
            case 4 -> line + host + credential + "X-Value: \u0000\u007f\u00ff\u0001\r\n\r\n";
            case 5 -> line + host + credential + "X-Folded: a\r\n  continued\r\n\r\n";
            case 6 -> line + host + "X-Api-Key: " + ADMIN_KEY + "\r" + INJECTED + ": yes\r\n\r\n";
            case 7 -> line.replace("\r\n", "\n") + host.replace("\r\n", "\n") + credential.replace("\r\n", "\n") + "\n";
            case 8 -> operation.method() + " " + target + "\r\n" + INJECTED + ": yes HTTP/1.1\r\n" + host + credential
                    + "\r\n";
            case 9 -> "GET /api/v1/plugins/\u00c0\u00af\u00ed\u00a0\u0080 HTTP/1.1\r\n" + host + credential + "\r\n";
            case 10 -> "GET /api/v1\\status HTTP/1.1\r\n" + host + credential + "\r\n";
            case 11 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential
                    + "Content-Length: 99999999999999999999\r\n\r\n" + json;
            case 12 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential + "Content-Length: -1\r\n\r\n"
                    + json;
            case 13 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential + "Content-Length: abc\r\n\r\n"
                    + json;
            case 14 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential + "Content-Length: 5\r\n"
                    + "Content-Length: 12\r\n\r\n" + json;
            case 15 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential + "Content-Length: 1000\r\n\r\n"
                    + json; // lying: fewer bytes than declared
            case 16 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential + "Content-Length: 3\r\n\r\n"
                    + json; // lying: more bytes than declared
            case 17 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential
                    + "Content-Length: 1099511627776\r\n\r\n" + json;
            case 18 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential + "Content-Length: 12\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nc\r\n" + json + "\r\n0\r\n\r\n";
            case 19 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential
                    + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + json + "\r\n0\r\n\r\n";
            case 20 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential
                    + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n" + json + "\r\n0\r\n\r\n";
            case 21 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential
                    + "Transfer-Encoding: chunked\r\n\r\n20\r\n" + json; // short chunk, no end
            case 22 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential
                    + "Transfer-Encoding: chunked\r\n\r\nc;ext=\"x\";y\r\n" + json
                    + "\r\n0\r\nX-Trailer: \u0000\r\n\r\n";
            case 23 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential
                    + "Transfer-Encoding: gzip, chunked\r\n\r\nc\r\n" + json + "\r\n0\r\n\r\n";
            case 24 -> "POST /api/v1/autonomous/plan HTTP/1.1\r\n" + host + credential
                    + "Transfer-Encoding: xchunked\r\n\r\n" + json;
            case 25 -> "GET /api/v1/plugins/" + "a".repeat(100_000) + " HTTP/1.1\r\n" + host + credential + "\r\n";
            case 26 -> line + host + credential + "X-Long: " + "b".repeat(100_000) + "\r\n\r\n";
            case 27 -> line + host + credential + "X-Many: 1\r\n".repeat(2_000) + "\r\n";
            case 28 -> List.of("GET /api/v1/health HTTP/9.9\r\n" + host + "\r\n", "GET /api/v1/health\r\n\r\n",
                    "GET  /api/v1/health  HTTP/1.1\r\n" + host + "\r\n",
                    "GET api/v1/health HTTP/1.1\r\n" + host + "\r\n",
                    "GET * HTTP/1.1\r\n" + host + "\r\n", "OPTIONS * HTTP/1.1\r\n" + host + "\r\n",
                    "GET http://evil.example/api/v1/status HTTP/1.1\r\n" + host + credential + "\r\n",
                    "CONNECT 127.0.0.1:1 HTTP/1.1\r\n" + host + "\r\n", "\r\n\r\nGET /api/v1/health HTTP/1.1\r\n"
                            + host + "\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "GET /api/v1/health HTTP/1.0\r\n\r\n")
                    .get(random.nextInt(11));
            case 29 -> line + credential + "\r\n"; // no Host
            case 30 -> line + host + "Host: evil.example\r\n" + credential + "\r\n";
            case 31 -> line + host + credential + "Expect: 100-continue\r\nContent-Length: 12\r\n\r\n" + json;
            case 32 -> line + host + credential + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
            default -> line + host + credential + "\r\n" + "GET /api/v1/keys HTTP/1.1\r\n" + host + "X-Api-Key: \u0000"
                    + "\r\n\r\n"; // pipelined, the second one broken
        };
        if (random.nextInt(50) == 0) {
            byte[] garbage = new byte[1 + random.nextInt(2_000)];
            random.nextBytes(garbage);
            return new FuzzRequest("raw-framing", "?", "(random bytes)", List.of(), null, false, garbage);
        }
        return new FuzzRequest("raw-framing", request.substring(0, Math.max(0, request.indexOf(' '))), target,
                List.of(), null, false, bytes(request));
    }

    // ---- text helpers ---------------------------------------------------------------------------------------------

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Text sent raw: characters up to U+00FF as one byte each (so any byte can be written), others as UTF-8. */
    private static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        text.codePoints().forEach(c -> {
            if (c <= 0xFF) {
                out.write(c);
            } else {
                out.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }

    /** The inside of a JSON string with everything but printable ASCII as a \\u escape (lone surrogates too). */
    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return out.toString();
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...(" + text.length() + " chars)";
    }

    /** Control characters shown as escapes, so a report line stays one line. */
    private static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }

    private static String tail(String output) {
        return output.length() <= 5_000 ? output : output.substring(output.length() - 5_000);
    }
}
