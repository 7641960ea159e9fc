package io.mcpagent.mcp.internal.client.auth;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.mcp.internal.client.Authorizer;
import io.mcpagent.mcp.internal.client.HttpExchanges;
import io.mcpagent.mcp.internal.client.SendingTimedOutException;
import io.mcpagent.provider.support.ShownUrl;

/**
 * OAuth 2.1 per the MCP authorization spec. On a 401 it discovers the protected-resource metadata (RFC 9728), the
 * authorization server's metadata (RFC 8414, OpenID Connect fallbacks), identifies the client (pre-registered,
 * client ID metadata document or dynamic registration, RFC 7591) and obtains a token: authorization code with PKCE
 * S256, {@code state}, {@code resource} (RFC 8707) and {@code iss} checking (RFC 9207), or the client-credentials
 * grant. There is no browser: the authorization URL is fetched without following redirects and the code read from
 * the {@code Location} header, which suits auto-approving servers. Refresh tokens are used when the issuer is
 * unchanged, and kept until the authorization server refuses one; a 403 {@code insufficient_scope} asks once more
 * with the larger scope. Client registrations and tokens are bound to the issuer that produced them.
 */
public final class OAuthAuthorizer implements Authorizer {
    /**
     * The exchanges of the transport whose request met the challenge under way, which its requests go among: closing
     * that connection (a failed health check, a reconnect, a stopped server) aborts them as it aborts its other
     * requests. Set only while a challenge holds {@link #challenging}.
     */
    private HttpExchanges requests;
    /**
     * One challenge at a time; the fields it changes are read and written only while it is held. A semaphore rather
     * than a lock: the challenge runs on a thread of its own, which releases it, while its caller waits at most the time
     * its sending has left.
     */
    private final Semaphore challenging = new Semaphore(1);
    /** The discovery of the last challenge, and what it was made for; null when the next challenge discovers anew. */
    private ServerInfo discovery;
    private DiscoveryKey discoveredFor;
    private final ObjectMapper mapper;
    private final OAuthConfig config;
    private final Map<String, ClientIdentity> clients = new HashMap<>();
    private volatile Token token;
    /** The scopes asked for in the last authorization, for step-up decisions. */
    private Set<String> lastRequestedScopes = Set.of();

    public OAuthAuthorizer(OAuthConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    record ClientIdentity(String clientId, String clientSecret, String authMethod) {
    }

    record Token(String issuer, String accessToken, String refreshToken, long expiresAtMillis, String resource,
                 String scope) {
    }

    /**
     * What a discovery holds for: the connection whose request met the challenge ({@link #requests}, the transport's
     * exchanges: a reconnect makes new ones), the server and the metadata URL its challenge named (null: none).
     */
    private record DiscoveryKey(HttpExchanges connection, URI resource, String metadataUrl) {
    }

    /** Discovery result for one attempt. */
    record ServerInfo(String issuer, JsonNode metadata, URI authorizationEndpoint, URI tokenEndpoint,
                      URI registrationEndpoint, String resource, List<String> resourceScopes, boolean legacy) {
    }

    @Override
    public Optional<String> authorization() {
        Token current = token;
        return current == null ? Optional.empty() : Optional.of("Bearer " + current.accessToken());
    }

    /**
     * Waits for the challenge under way, if any; unless that replaced the token the refused request went with, runs this
     * one on a thread of its own: its requests each take up to the configured timeout, and the caller waits only as long
     * as {@code wait}. A challenge its caller gave up on ends all the same (or with the connection, which aborts its
     * requests), and its token serves the requests that follow; a caller that gave up while waiting for another
     * challenge starts none.
     */
    @Override
    public boolean challenge(int status, String wwwAuthenticate, String sentAuthorization, URI resource,
                             HttpExchanges exchanges, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            if (!challenging.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new SendingTimedOutException("another OAuth challenge of the server was still under way");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another OAuth challenge of the server");
        }
        if (!Objects.equals(authorization().orElse(null), sentAuthorization)) {
            challenging.release();
            return true; // a challenge that ended meanwhile replaced the token the request went with: repeat it
        }
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        try {
            Thread.ofVirtual().name("mcp-oauth-challenge").start(() -> {
                requests = exchanges;
                try {
                    outcome.complete(challenge(status, wwwAuthenticate, resource));
                } catch (IllegalArgumentException invalid) {
                    // What URI.create and the request builder throw for a URL a server sent that is none (a
                    // resource_metadata, an endpoint, a redirect): the challenge fails, as its call then does, with an
                    // IOException like the other failures of what the servers sent, not an exception no caller expects.
                    // Neither its message nor it as the cause: they quote the URL whole, a redirect's code with it.
                    discoveredFor = null;
                    outcome.completeExceptionally(new IOException("OAuth: " + noUrl(invalid)));
                } catch (IOException | RuntimeException | Error e) {
                    discoveredFor = null; // the metadata may be what failed (a moved token endpoint): fetched anew next
                    outcome.completeExceptionally(e);
                } finally {
                    requests = null;
                    challenging.release();
                }
            });
        } catch (RuntimeException | Error e) {
            challenging.release(); // no thread, so no challenge to release it
            throw e;
        }
        try {
            return outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SendingTimedOutException("its OAuth challenge (HTTP " + status + ") was still under way");
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw (Error) failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the OAuth challenge of the server");
        }
    }

    private boolean challenge(int status, String wwwAuthenticate, URI resource) throws IOException {
        WwwAuthenticate header = WwwAuthenticate.parse(wwwAuthenticate);
        String challengeScope = header.bearerParam("scope");
        String error = header.bearerParam("error");
        Set<String> scopes = new LinkedHashSet<>();
        if (status == 403) {
            if (!"insufficient_scope".equals(error) || challengeScope == null) {
                return false; // forbidden for another reason: a new token would not help
            }
            scopes.addAll(split(challengeScope));
            if (lastRequestedScopes.containsAll(scopes) && token != null) {
                return false; // already asked for all of these; the server will not be satisfied by asking again
            }
            scopes.addAll(lastRequestedScopes);
        } else if (status != 401) {
            return false;
        }
        ServerInfo server = discovered(header, resource);
        if (status == 401 && challengeScope != null) {
            scopes.addAll(split(challengeScope));
        }
        Token current = token;
        if (status == 401 && current != null && current.refreshToken() != null && server.issuer().equals(current.issuer())
                && scopes.isEmpty()) {
            // Only the authorization server's refusal ends the refresh token: one aborted with the connection (a
            // failed health check, a reconnect) or lost in transport fails this challenge and is tried again next time.
            try {
                token = refresh(server, current);
                return true;
            } catch (TokenRefused refused) {
                token = null; // fall through to a new authorization
            }
        }
        if (scopes.isEmpty()) {
            scopes.addAll(server.resourceScopes());
        }
        token = obtain(server, scopes);
        return true;
    }

    // ---------------------------------------------------------------- discovery

    /**
     * The discovery for this challenge: the metadata documents are fetched once per connection (and metadata URL the
     * challenge names), not again on every challenge under the lock; a reconnect, or a challenge that failed, makes
     * the next challenge fetch them anew.
     */
    private ServerInfo discovered(WwwAuthenticate header, URI resource) throws IOException {
        DiscoveryKey key = new DiscoveryKey(requests, resource, header.bearerParam("resource_metadata"));
        if (!key.equals(discoveredFor)) {
            discovery = discover(header, resource);
            discoveredFor = key;
        }
        return discovery;
    }

    ServerInfo discover(WwwAuthenticate header, URI resource) throws IOException {
        String expectedResource = WellKnown.canonicalResource(resource);
        JsonNode prm = null;
        String metadataUrl = header.bearerParam("resource_metadata");
        List<URI> candidates = metadataUrl != null ? List.of(URI.create(metadataUrl)) : WellKnown.protectedResource(resource);
        List<String> tried = new ArrayList<>();
        for (URI candidate : candidates) {
            JsonNode document = getJson(candidate, tried);
            if (document != null) {
                prm = document;
                break;
            }
        }
        if (prm == null && metadataUrl != null) {
            for (URI candidate : WellKnown.protectedResource(resource)) {
                JsonNode document = getJson(candidate, tried);
                if (document != null) {
                    prm = document;
                    break;
                }
            }
        }
        if (prm == null) {
            // 2025-03-26 servers: no protected-resource metadata; the authorization server is the MCP server's origin.
            String issuer = WellKnown.origin(resource);
            return serverInfo(issuer, expectedResource, List.of(), true);
        }
        String prmResource = prm.path("resource").asText(null);
        if (prmResource != null && !resourceMatches(prmResource, resource)) {
            throw new IOException("protected resource metadata names resource " + shown(prmResource)
                    + ", which does not match the server " + shown(expectedResource) + "; refusing to authorize");
        }
        JsonNode servers = prm.path("authorization_servers");
        if (!servers.isArray() || servers.isEmpty()) {
            throw new IOException("protected resource metadata for " + shown(expectedResource)
                    + " lists no authorization_servers");
        }
        List<String> resourceScopes = new ArrayList<>();
        prm.path("scopes_supported").forEach(s -> resourceScopes.add(s.asText()));
        return serverInfo(servers.get(0).asText(), prmResource != null ? prmResource : expectedResource,
                resourceScopes, false);
    }

    private ServerInfo serverInfo(String issuer, String resource, List<String> resourceScopes, boolean legacy)
            throws IOException {
        URI issuerUri = issuerUrl(issuer);
        List<String> tried = new ArrayList<>();
        for (URI candidate : WellKnown.authorizationServer(issuerUri)) {
            JsonNode metadata = getJson(candidate, tried);
            if (metadata == null) {
                continue;
            }
            String declared = metadata.path("issuer").asText(null);
            String recordedIssuer = issuer;
            if (!legacy) {
                if (declared == null || !sameIssuer(declared, issuer)) {
                    throw new IOException("authorization server metadata at " + ShownUrl.of(candidate)
                            + " declares issuer " + shown(declared) + ", not " + shown(issuer) + "; refusing to use it");
                }
                recordedIssuer = declared;
            } else if (declared != null) {
                recordedIssuer = declared;
            }
            URI authorization = uri(metadata, "authorization_endpoint");
            URI tokenEndpoint = uri(metadata, "token_endpoint");
            if (tokenEndpoint == null) {
                throw new IOException("authorization server metadata at " + ShownUrl.of(candidate)
                        + " has no token_endpoint");
            }
            return new ServerInfo(recordedIssuer, metadata, authorization, tokenEndpoint,
                    uri(metadata, "registration_endpoint"), resource, resourceScopes, legacy);
        }
        if (!legacy) {
            throw new IOException("no authorization server metadata for " + shown(issuer) + " (tried "
                    + String.join(", ", tried) + ")");
        }
        // 2025-03-26 fallback: default endpoints at the root of the server.
        String origin = WellKnown.origin(issuerUri);
        return new ServerInfo(origin, null, URI.create(origin + "/authorize"), URI.create(origin + "/token"),
                URI.create(origin + "/register"), resource, resourceScopes, true);
    }

    /**
     * The issuer as an http(s) URL with a host: the metadata URLs are built on its origin, which anything else (a bare
     * name, "https:/x" without an authority, a registry authority such as a name with an underscore) does not give.
     */
    private static URI issuerUrl(String issuer) throws IOException {
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IOException("the authorization server issuer " + shown(issuer)
                    + " is no http(s) URL with a host; refusing to use it");
        }
        return uri;
    }

    /** The PRM resource must identify this server: same origin and a path prefix (at a segment boundary). */
    static boolean resourceMatches(String prmResource, URI server) {
        URI declared;
        try {
            declared = URI.create(prmResource);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (declared.getScheme() == null || declared.getHost() == null
                || !WellKnown.origin(declared).equals(WellKnown.origin(server))) {
            return false;
        }
        String prefix = WellKnown.trimmedPath(declared);
        String path = WellKnown.trimmedPath(server);
        return prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static boolean sameIssuer(String declared, String expected) {
        return declared.equals(expected) || stripSlash(declared).equals(stripSlash(expected));
    }

    private static String stripSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    // ---------------------------------------------------------------- obtaining tokens

    private Token obtain(ServerInfo server, Set<String> scopes) throws IOException {
        boolean clientCredentials = config.clientCredentials() || prefersClientCredentials(server.metadata());
        if (clientCredentials) {
            ClientIdentity client = preRegistered(server)
                    .orElseThrow(() -> new IOException("the client-credentials grant needs a configured client id"));
            lastRequestedScopes = Set.copyOf(scopes);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "client_credentials");
            if (!scopes.isEmpty()) {
                form.put("scope", String.join(" ", scopes));
            }
            form.put("resource", server.resource());
            return tokenRequest(server, client, form, null);
        }
        if (server.metadata() != null && !hasValue(server.metadata().path("code_challenge_methods_supported"), "S256")) {
            throw new IOException("authorization server " + shown(server.issuer())
                    + " does not advertise PKCE S256 (code_challenge_methods_supported); refusing to authorize");
        }
        if (server.authorizationEndpoint() == null) {
            throw new IOException("authorization server " + shown(server.issuer()) + " has no authorization_endpoint");
        }
        ClientIdentity client = clientFor(server);
        Set<String> requested = new LinkedHashSet<>(scopes);
        if (server.metadata() != null && !requested.isEmpty()
                && hasValue(server.metadata().path("scopes_supported"), "offline_access")) {
            requested.add("offline_access"); // ask for a refresh token where the server offers it (SEP-2207)
        }
        lastRequestedScopes = Set.copyOf(scopes);
        String verifier = Pkce.newVerifier();
        String state = Pkce.randomToken(24);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", config.redirectUri());
        query.put("code_challenge", Pkce.challengeS256(verifier));
        query.put("code_challenge_method", "S256");
        query.put("state", state);
        query.put("resource", server.resource());
        if (!requested.isEmpty()) {
            query.put("scope", String.join(" ", requested));
        }
        String code = authorize(server, query, state);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", config.redirectUri());
        form.put("code_verifier", verifier);
        form.put("resource", server.resource());
        return tokenRequest(server, client, form, null);
    }

    /** Plays the user agent: GET the authorization URL, read the redirect, check state and iss, return the code. */
    private String authorize(ServerInfo server, Map<String, String> query, String state) throws IOException {
        URI endpoint = server.authorizationEndpoint();
        String separator = endpoint.getRawQuery() == null ? "?" : "&";
        URI url = URI.create(endpoint + separator + form(query));
        HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET().timeout(config.timeout()).build());
        String location = response.headers().firstValue("location").orElse(null);
        if (response.statusCode() / 100 != 3 || location == null) {
            throw new IOException("authorization request to " + ShownUrl.of(endpoint) + " answered HTTP "
                    + response.statusCode() + " without a redirect (interactive login is not supported)");
        }
        Map<String, String> params = parseQuery(URI.create(location).getRawQuery());
        if (params.containsKey("error")) {
            throw new IOException("authorization at " + ShownUrl.of(endpoint) + " failed: " + params.get("error")
                    + (params.containsKey("error_description") ? " (" + params.get("error_description") + ")" : ""));
        }
        if (!state.equals(params.get("state"))) {
            throw new IOException("authorization response from " + ShownUrl.of(endpoint)
                    + " carries a wrong or no state");
        }
        String iss = params.get("iss");
        if (iss != null) {
            if (!iss.equals(server.issuer())) {
                throw new IOException("authorization response iss " + shown(iss) + " is not the issuer "
                        + shown(server.issuer()) + " (RFC 9207); refusing the code");
            }
        } else if (server.metadata() != null
                && server.metadata().path("authorization_response_iss_parameter_supported").asBoolean(false)) {
            throw new IOException("authorization response from " + shown(server.issuer())
                    + " lacks the iss parameter its metadata promises (RFC 9207); refusing the code");
        }
        String code = params.get("code");
        if (code == null) {
            throw new IOException("authorization response from " + ShownUrl.of(endpoint) + " has no code");
        }
        return code;
    }

    private Token refresh(ServerInfo server, Token current) throws IOException {
        ClientIdentity client = clientFor(server);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", current.refreshToken());
        form.put("resource", server.resource());
        return tokenRequest(server, client, form, current.refreshToken());
    }

    private Token tokenRequest(ServerInfo server, ClientIdentity client, Map<String, String> form, String oldRefresh)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.tokenEndpoint()).timeout(config.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        switch (client.authMethod()) {
            case "client_secret_basic" -> {
                String pair = urlEncode(client.clientId()) + ":" + urlEncode(client.clientSecret());
                request.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            case "client_secret_post" -> {
                form.put("client_id", client.clientId());
                form.put("client_secret", client.clientSecret());
            }
            case "private_key_jwt" -> {
                form.put("client_id", client.clientId());
                form.put("client_assertion_type", ClientAssertion.TYPE);
                try {
                    form.put("client_assertion", ClientAssertion.create(mapper, client.clientId(), server.issuer(),
                            config.privateKeyPem(), config.signingAlgorithm()));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new IOException("cannot sign the client assertion: " + e.getMessage(), e);
                }
            }
            default -> form.put("client_id", client.clientId());
        }
        HttpResponse<String> response = send(request.POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200 || body == null || !body.hasNonNull("access_token")) {
            String detail = response.statusCode() == 200 ? withoutAccessToken(body, response.body())
                    : body == null ? snippet(response.body())
                    : body.path("error").asText("") + " " + body.path("error_description").asText("");
            String message = "token request (" + form.get("grant_type") + ") to " + ShownUrl.of(server.tokenEndpoint())
                    + " failed: HTTP " + response.statusCode() + " " + detail.strip();
            // RFC 6749 5.2 refuses with a 400 (invalid_grant, ...) or a 401 (invalid_client); another 4xx refuses the
            // request as well, whereas a 408, a 429 or a 5xx is the server's trouble of the moment
            int status = response.statusCode();
            boolean refused = status / 100 == 4 && status != 408 && status != 429;
            throw refused ? new TokenRefused(message) : new IOException(message);
        }
        long expiresIn = body.path("expires_in").asLong(0);
        return new Token(server.issuer(), body.get("access_token").asText(),
                body.path("refresh_token").asText(oldRefresh),
                expiresIn > 0 ? System.currentTimeMillis() + expiresIn * 1000 : Long.MAX_VALUE, server.resource(),
                body.path("scope").asText(null));
    }

    /**
     * A 200 that is no token response (RFC 6749 5.1 requires its access_token): a proxy's page, say. It refuses nothing
     * either, so a refresh token is kept. Of a JSON object only the field names are told: its values may be tokens.
     */
    private static String withoutAccessToken(JsonNode body, String text) {
        if (body == null || !body.isObject()) {
            return "without an access_token: " + snippet(text);
        }
        List<String> fields = body.properties().stream().map(Map.Entry::getKey).toList();
        return "without an access_token" + (fields.isEmpty() ? " (an empty JSON object)"
                : " (its fields: " + String.join(", ", fields) + ")");
    }

    /** The authorization server refused a token request (an error response, RFC 6749 5.2). */
    private static final class TokenRefused extends IOException {
        TokenRefused(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- client identity

    private Optional<ClientIdentity> preRegistered(ServerInfo server) {
        if (config.clientId() == null) {
            return Optional.empty();
        }
        String method;
        JsonNode supported = server.metadata() == null ? null : server.metadata().get("token_endpoint_auth_methods_supported");
        if (config.privateKeyPem() != null) {
            method = "private_key_jwt";
        } else if (config.clientSecret() != null) {
            method = supported == null || hasValue(supported, "client_secret_basic") ? "client_secret_basic"
                    : hasValue(supported, "client_secret_post") ? "client_secret_post" : "client_secret_basic";
        } else {
            method = "none";
        }
        return Optional.of(new ClientIdentity(config.clientId(), config.clientSecret(), method));
    }

    private ClientIdentity clientFor(ServerInfo server) throws IOException {
        ClientIdentity known = clients.get(server.issuer());
        if (known != null) {
            return known;
        }
        Optional<ClientIdentity> configured = preRegistered(server);
        ClientIdentity identity;
        if (configured.isPresent()) {
            identity = configured.get();
        } else if (config.clientMetadataUrl() != null && server.metadata() != null
                && server.metadata().path("client_id_metadata_document_supported").asBoolean(false)) {
            identity = new ClientIdentity(config.clientMetadataUrl(), null, "none");
        } else if (server.registrationEndpoint() != null) {
            identity = register(server);
        } else {
            throw new IOException("authorization server " + shown(server.issuer())
                    + " supports neither client ID metadata documents nor dynamic registration, and no client id is configured");
        }
        clients.put(server.issuer(), identity);
        return identity;
    }

    private ClientIdentity register(ServerInfo server) throws IOException {
        JsonNode supported = server.metadata() == null ? null : server.metadata().get("token_endpoint_auth_methods_supported");
        String wanted = supported == null || hasValue(supported, "none") ? "none"
                : hasValue(supported, "client_secret_basic") ? "client_secret_basic"
                : hasValue(supported, "client_secret_post") ? "client_secret_post" : "none";
        ObjectNode request = mapper.createObjectNode();
        request.put("client_name", config.clientName());
        request.putArray("redirect_uris").add(config.redirectUri());
        ArrayNode grants = request.putArray("grant_types");
        grants.add("authorization_code").add("refresh_token");
        request.putArray("response_types").add("code");
        request.put("token_endpoint_auth_method", wanted);
        request.put("application_type", isNativeRedirect(config.redirectUri()) ? "native" : "web"); // SEP-837
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.registrationEndpoint()).timeout(config.timeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build());
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2 || body == null || !body.hasNonNull("client_id")) {
            throw new IOException("dynamic client registration at " + ShownUrl.of(server.registrationEndpoint())
                    + " failed: HTTP " + response.statusCode() + " " + snippet(response.body()));
        }
        String secret = body.path("client_secret").asText(null);
        String method = body.path("token_endpoint_auth_method").asText(null);
        if (method == null) {
            method = secret == null ? "none"
                    : supported == null || hasValue(supported, "client_secret_basic") ? "client_secret_basic"
                    : hasValue(supported, "client_secret_post") ? "client_secret_post" : "client_secret_basic";
        }
        if (secret == null && (method.equals("client_secret_basic") || method.equals("client_secret_post"))) {
            method = "none";
        }
        return new ClientIdentity(body.get("client_id").asText(), secret, method);
    }

    /** Loopback http or a private-use scheme: a native application (OpenID Connect Registration, SEP-837). */
    static boolean isNativeRedirect(String redirectUri) {
        URI uri = URI.create(redirectUri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return true;
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        return scheme.equals("http") && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    private boolean prefersClientCredentials(JsonNode metadata) {
        if (metadata == null || config.clientId() == null
                || (config.clientSecret() == null && config.privateKeyPem() == null)) {
            return false;
        }
        JsonNode grants = metadata.path("grant_types_supported");
        return hasValue(grants, "client_credentials") && !hasValue(grants, "authorization_code");
    }

    // ---------------------------------------------------------------- HTTP helpers

    /** GET a JSON document; null (and the URL noted in {@code tried}) on 4xx/5xx or non-JSON. */
    private JsonNode getJson(URI url, List<String> tried) throws IOException {
        tried.add(ShownUrl.of(url));
        HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET().timeout(config.timeout())
                .header("Accept", "application/json").build());
        if (response.statusCode() != 200) {
            return null;
        }
        JsonNode body = parse(response.body());
        return body != null && body.isObject() ? body : null;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return requests.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during OAuth request to " + ShownUrl.of(request.uri()));
        } catch (IOException e) {
            throw new IOException("OAuth request to " + ShownUrl.of(request.uri()) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * A URL for a message, as {@link ShownUrl} shows it: the MCP server's carries its configured query (a token, say),
     * and the others (the authorization request's own, an endpoint a server sent) may carry one too.
     */
    private static String shown(String url) {
        if (url == null) {
            return null;
        }
        try {
            return ShownUrl.of(new URI(url));
        } catch (URISyntaxException e) {
            return "(no URL: " + ShownUrl.unparsable(e) + ")";
        }
    }

    /** Why a URL a server sent could not be requested, without the URL. */
    private static String noUrl(IllegalArgumentException invalid) {
        return invalid.getCause() instanceof URISyntaxException syntax
                ? "a URL a server sent is none: " + ShownUrl.unparsable(syntax)
                : "a URL a server sent cannot be requested (no http or https URL with a host)";
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static URI uri(JsonNode metadata, String field) {
        String value = metadata.path(field).asText(null);
        return value == null || value.isEmpty() ? null : URI.create(value);
    }

    private static boolean hasValue(JsonNode array, String value) {
        if (array == null || !array.isArray()) {
            return false;
        }
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    static List<String> split(String scope) {
        List<String> result = new ArrayList<>();
        for (String part : scope.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                result.add(part);
            }
        }
        return result;
    }

    static String form(Map<String, String> values) {
        StringJoiner joiner = new StringJoiner("&");
        values.forEach((k, v) -> {
            if (v != null) {
                joiner.add(urlEncode(k) + "=" + urlEncode(v));
            }
        });
        return joiner.toString();
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> result = new LinkedHashMap<>();
        if (rawQuery == null) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.putIfAbsent(key, value);
        }
        return result;
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String snippet(String body) {
        if (body == null) {
            return "";
        }
        String trimmed = body.strip();
        return trimmed.length() > 300 ? trimmed.substring(0, 300) + "..." : trimmed;
    }
}
