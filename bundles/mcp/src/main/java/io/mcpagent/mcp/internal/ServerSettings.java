package io.mcpagent.mcp.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.mcp.internal.client.auth.OAuthConfig;
import io.mcpagent.provider.support.FactoryInstanceId;
import io.mcpagent.provider.support.ShownUrl;

/**
 * A server configuration, checked: every problem is named with its property so the operator can fix the file.
 * {@code ${env:NAME}} references are resolved here, so secrets stay in the environment and out of {@code etc/}.
 * {@code environment} is the whole environment of a stdio server's process: the variables it inherits from the
 * runtime ({@link InheritedEnvironment}), overridden by its configured {@code env}.
 */
record ServerSettings(String id, String transport, List<String> command, Map<String, String> environment,
                      Path workingDirectory, URI url, Map<String, String> headers, String protocol, boolean eager,
                      Duration initTimeout, Duration eraProbeTimeout, Duration requestTimeout, Duration maxCallTime,
                      Duration drainTime, List<String> roots, List<String> allowedTools, List<String> deniedTools,
                      int maxConcurrentCalls,
                      Duration healthInterval, Duration maxBackoff, String elicitation, String sampling,
                      int maxMessageBytes, String name, String description, OAuthConfig oauth,
                      List<String> environmentValues) {

    /** The REST routes under /api/v1/servers/ that no server name may take: they would hide the server. */
    private static final Set<String> ROUTE_NAMES = Set.of("catalog", "discover", "install");
    /** A URI scheme of two or more characters ("https:"), so that a root naming one is no path ("C:" is). */
    private static final Pattern OTHER_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern ENV_REFERENCE =
            Pattern.compile("\\$\\{env:(" + InheritedEnvironment.NAME.pattern() + ")}");
    /**
     * A header whose name says it carries a credential: {@code Authorization}, {@code Proxy-Authorization},
     * {@code X-Api-Key}, {@code X-Auth-Token}, {@code Cookie}, {@code X-Client-Secret}, ... Other headers
     * ({@code Accept}, {@code User-Agent}) carry configuration, which masking would only make unreadable.
     */
    private static final Pattern CREDENTIAL_HEADER = Pattern.compile(
            "auth|token|key|secret|passw|passphrase|credential|cookie|session|signature", Pattern.CASE_INSENSITIVE);

    /**
     * The settings of server {@code id} of file {@code etc/io.mcpagent.mcp.server~<id>.cfg.json}.
     * @throws IllegalArgumentException naming the property that is wrong and what to write instead
     */
    static ServerSettings from(String id, ServerConfig config, Function<String, String> variables) {
        return from(FactoryInstanceId.of(McpServerComponent.FACTORY_PID, McpServerComponent.pid(id), config.id()),
                config, Map.of(), variables);
    }

    /**
     * The settings of the server {@code named} by its configuration's PID or {@code id}; {@code properties} are the
     * configuration's values as Configuration Admin holds them, which {@code config} is converted from.
     * @throws IllegalArgumentException naming the property that is wrong and what to write instead, and a name the
     *         configuration does not give or gives twice
     */
    static ServerSettings from(FactoryInstanceId named, ServerConfig config, Map<String, ?> properties,
                               Function<String, String> variables) {
        String id = named.id();
        List<String> problems = new ArrayList<>();
        config = ConvertedNumbers.of(config, properties, problems);
        // every value a ${env:} reference brings in is a secret as far as masking goes: that is why it is not in etc/
        List<String> environmentValues = new ArrayList<>();
        Function<String, String> environment = name -> {
            String value = variables.apply(name);
            if (value != null) {
                environmentValues.add(value);
            }
            return value;
        };
        String naming = named.namingProblem("server name");
        if (naming != null) {
            problems.add(naming);
        } else if (ROUTE_NAMES.contains(named.id().toLowerCase(Locale.ROOT))) {
            problems.add("server name '" + named.id() + "' is taken by the REST API's /api/v1/servers/"
                    + named.id().toLowerCase(Locale.ROOT) + ", which would hide the server; choose another name");
        }
        String transport = config.transport().trim();
        List<String> command = new ArrayList<>();
        URI url = null;
        switch (transport) {
            case "stdio" -> {
                if (config.command().isBlank()) {
                    problems.add("transport 'stdio' needs 'command' (the program to run)");
                } else {
                    command.add(resolve(config.command(), "command", environment, problems));
                    for (String arg : config.args()) {
                        command.add(resolve(arg, "args", environment, problems));
                    }
                }
            }
            case "http", "sse" -> {
                if (config.url().isBlank()) {
                    problems.add("transport '" + transport + "' needs 'url'");
                } else {
                    try {
                        url = new URI(config.url().trim());
                        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                            problems.add("url '" + ShownUrl.of(url) + "' must start with http:// or https://");
                        } else if (url.getHost() == null) {
                            // java.net.http refuses it on every request, quoting it whole ("unsupported URI ...")
                            problems.add("url '" + ShownUrl.of(url) + "' names no host");
                        }
                    } catch (URISyntaxException e) {
                        problems.add("url is not a valid URI: " + ShownUrl.unparsable(e));
                    }
                }
            }
            default -> problems.add("transport '" + transport + "' unknown; use stdio, http or sse");
        }
        Map<String, String> env = new LinkedHashMap<>(InheritedEnvironment.of(
                inheritedNames(config.inheritEnv(), problems), variables));
        env.putAll(pairs(config.env(), "=", "env", environment, problems));
        Map<String, String> headers = pairs(config.headers(), ":", "headers", environment, problems);
        String protocol = config.protocol().trim();
        if (!List.of("auto", "legacy", "modern").contains(protocol)) {
            problems.add("protocol '" + protocol + "' unknown; use auto, legacy or modern");
        }
        String connect = config.connect().trim();
        if (!connect.equals("eager") && !connect.equals("lazy")) {
            problems.add("connect '" + connect + "' unknown; use eager or lazy");
        }
        String elicitation = config.elicitation().trim();
        if (!List.of("decline", "defaults", "handler").contains(elicitation)) {
            problems.add("elicitation '" + elicitation + "' unknown; use decline, defaults or handler");
        }
        positive(config.initTimeoutMs(), "initTimeoutMs", problems);
        positive(config.eraProbeTimeoutMs(), "eraProbeTimeoutMs", problems);
        positive(config.requestTimeoutMs(), "requestTimeoutMs", problems);
        positive(config.maxCallMs(), "maxCallMs", problems);
        positive(config.maxConcurrentCalls(), "maxConcurrentCalls", problems);
        positive(config.maxBackoffMs(), "maxBackoffMs", problems);
        positive(config.maxMessageBytes(), "maxMessageBytes", problems);
        long drainMs = drainMs(config, problems);
        if (config.healthIntervalMs() < 0) {
            problems.add("healthIntervalMs must be 0 (off) or positive, not " + config.healthIntervalMs());
        }
        OAuthConfig oauth = null;
        switch (config.auth().trim()) {
            case "none" -> { }
            case "oauth" -> {
                if (transport.equals("stdio")) {
                    problems.add("auth 'oauth' applies to http and sse servers, not stdio");
                }
                String grant = config.oauthGrant().trim();
                if (!grant.equals("authorization_code") && !grant.equals("client_credentials")) {
                    problems.add("oauthGrant '" + grant + "' unknown; use authorization_code or client_credentials");
                }
                oauth = new OAuthConfig(blankToNull(resolve(config.oauthClientId(), "oauthClientId", environment, problems)),
                        blankToNull(resolve(config.oauthClientSecret(), "oauthClientSecret", environment, problems)),
                        null, null, blankToNull(config.oauthClientMetadataUrl()), null, "mcp-agent",
                        grant.equals("client_credentials"), Duration.ofMillis(config.initTimeoutMs()));
            }
            default -> problems.add("auth '" + config.auth() + "' unknown; use none or oauth");
        }
        List<String> roots = new ArrayList<>();
        for (String root : config.roots()) {
            if (OTHER_SCHEME.matcher(root).lookingAt() && !root.startsWith("file:")) {
                problems.add("roots '" + root + "' is no file URI of a folder (file:///srv/data), nor a path");
                continue;
            }
            try {
                if (!root.startsWith("file:")) {
                    roots.add(Path.of(root).toAbsolutePath().normalize().toUri().toString());
                    continue;
                }
            } catch (InvalidPathException e) {
                problems.add("roots '" + root + "' is no path: " + e.getReason());
                continue;
            }
            if (isFolderUri(root)) {
                roots.add(root);
            } else {
                problems.add("roots '" + root + "' is no file URI of a folder (file:///srv/data), nor a path");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new ServerSettings(id, transport, List.copyOf(command), Map.copyOf(env),
                config.cwd().isBlank() ? null : Path.of(config.cwd()), url, headers, protocol, connect.equals("eager"),
                Duration.ofMillis(config.initTimeoutMs()), Duration.ofMillis(config.eraProbeTimeoutMs()),
                Duration.ofMillis(config.requestTimeoutMs()), Duration.ofMillis(config.maxCallMs()),
                Duration.ofMillis(drainMs), roots.isEmpty() ? null : List.copyOf(roots),
                List.of(config.allowedTools()), List.of(config.deniedTools()), config.maxConcurrentCalls(),
                Duration.ofMillis(config.healthIntervalMs()), Duration.ofMillis(config.maxBackoffMs()), elicitation,
                config.sampling().trim(), config.maxMessageBytes(), config.name().isBlank() ? id : config.name(),
                config.description(), oauth, List.copyOf(environmentValues));
    }

    /**
     * The secrets this configuration holds, for the platform to mask wherever a model repeats them: the values of
     * headers whose name says they carry a credential ({@link #CREDENTIAL_HEADER}), the values of {@code ${env:}}
     * references (in the command, arguments, environment, any header, OAuth settings), the URL's password and query
     * values, and the OAuth client secret.
     */
    List<String> secretValues() {
        List<String> secrets = new ArrayList<>();
        headers.forEach((name, value) -> {
            if (CREDENTIAL_HEADER.matcher(name).find()) {
                secrets.add(value);
            }
        });
        secrets.addAll(environmentValues);
        if (url != null && url.getRawUserInfo() != null) {
            String userInfo = url.getUserInfo();
            secrets.add(userInfo.substring(userInfo.indexOf(':') + 1));
        }
        if (url != null && url.getQuery() != null) {
            for (String parameter : url.getQuery().split("&")) {
                secrets.add(parameter.substring(parameter.indexOf('=') + 1));
            }
        }
        if (oauth != null && oauth.clientSecret() != null) {
            secrets.add(oauth.clientSecret());
        }
        return secrets;
    }

    /**
     * The {@link io.mcpagent.api.plugin.PluginProperties#MCP_REPLICA_KEY} of this configuration: equal for two
     * configurations that differ at most in what does not change what the server is or can reach (its name,
     * timeouts, limits, how it connects). The settings it covers may hold secrets (a token header) and every viewer
     * reads service properties, so it is a hash salted with {@code salt} (per runtime), which no one outside can
     * recompute from guessed settings.
     */
    String replicaKey(ObjectMapper mapper, String salt) {
        Map<String, Object> identity = new TreeMap<>();
        identity.put("transport", transport);
        identity.put("command", command);
        identity.put("env", new TreeMap<>(environment));
        identity.put("cwd", workingDirectory == null ? null : workingDirectory.toAbsolutePath().normalize().toString());
        identity.put("url", url == null ? null : url.toString());
        identity.put("headers", new TreeMap<>(headers));
        identity.put("roots", roots);
        identity.put("allowedTools", allowedTools);
        identity.put("deniedTools", deniedTools);
        identity.put("oauthClientId", oauth == null ? null : oauth.clientId());
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((salt + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(mapper.writeValueAsBytes(identity)), 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute the replica key of MCP server '" + id + "'", e);
        }
    }

    /** A root given as a URI must be an absolute file URI, so that it names a folder of this machine. */
    private static boolean isFolderUri(String root) {
        try {
            URI uri = new URI(root);
            return "file".equals(uri.getScheme()) && uri.getPath() != null && uri.getPath().startsWith("/");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** True if the tool passes the allow/deny globs of this server. */
    boolean allows(String tool) {
        return (allowedTools.isEmpty() || allowedTools.stream().anyMatch(glob -> Globs.matches(glob, tool)))
                && deniedTools.stream().noneMatch(glob -> Globs.matches(glob, tool));
    }

    /** The variables a stdio server inherits: the defaults, then those {@code inheritEnv} names. */
    private static List<String> inheritedNames(String[] entries, List<String> problems) {
        List<String> names = new ArrayList<>(InheritedEnvironment.defaults());
        names.addAll(InheritedEnvironment.names("inheritEnv", "the server", "give a value in env (NAME=value)", entries,
                problems));
        return names;
    }

    /**
     * {@code NAME<separator>value} entries. A wrong entry is named by its position and what precedes its first space or
     * separator, never by its value: that is where the secret is ({@code Authorization Bearer <token>}).
     */
    private static Map<String, String> pairs(String[] entries, String separator, String property,
                                             Function<String, String> environment, List<String> problems) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int index = 0; index < entries.length; index++) {
            String entry = entries[index];
            int at = entry.indexOf(separator);
            String name = at < 0 ? entry : entry.substring(0, at).trim();
            if (at <= 0 || (separator.equals(":") && !HEADER_NAME.matcher(name).matches())) {
                String nameStart = entry.strip().split("[\\s" + separator + "]", 2)[0];
                // a single word may as well be the value alone, a token pasted without its name
                String shown = nameStart.isEmpty() ? ""
                        : nameStart.equals(entry.strip()) ? " (a single word, not shown: it may be the value)"
                        : " ('" + nameStart + "')";
                problems.add(property + " entry " + (index + 1) + " of " + entries.length
                        + shown + " must look like NAME" + separator
                        + "value" + (separator.equals(":") ? ", with a NAME of letters, digits and -" : ""));
                continue;
            }
            pairs.put(name, resolve(entry.substring(at + 1).trim(), property, environment, problems));
        }
        return Map.copyOf(pairs);
    }

    /**
     * What the server is, for readers of its plugin description: the program and how many arguments it gets (an
     * argument may be a token), or the transport and the URL without its credentials.
     */
    String summary() {
        if (!transport.equals("stdio")) {
            return transport + " " + ShownUrl.of(url);
        }
        int arguments = command.size() - 1;
        return command.get(0) + switch (arguments) {
            case 0 -> "";
            case 1 -> " with 1 argument";
            default -> " with " + arguments + " arguments";
        };
    }

    private static String resolve(String value, String property, Function<String, String> environment,
                                  List<String> problems) {
        Matcher matcher = ENV_REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String variable = environment.apply(matcher.group(1));
            if (variable == null) {
                problems.add(property + " refers to environment variable " + matcher.group(1)
                        + ", which is not set in the runtime's environment");
                variable = "";
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(variable));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /**
     * {@code drainMs}, from 0 to {@link ConfigRanges#LONGEST_TIME_BUDGET} (a wait in nanoseconds overflows far
     * beyond); -1 when it is refused.
     */
    private static long drainMs(ServerConfig config, List<String> problems) {
        long drainMs = config.drainMs();
        if (drainMs < 0 || drainMs > ConfigRanges.LONGEST_TIME_BUDGET.toMillis()) {
            problems.add("drainMs must be 0 (cut the calls off at once) or positive, at most "
                    + ConfigRanges.LONGEST_TIME_BUDGET.toMillis() + " (" + ConfigRanges.LONGEST_TIME_BUDGET.toDays()
                    + " days), not " + drainMs);
            return -1;
        }
        return drainMs;
    }

    private static void positive(long value, String property, List<String> problems) {
        if (value <= 0) {
            problems.add(property + " must be positive, not " + value);
        }
    }
}
