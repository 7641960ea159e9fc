package io.mcpagent.http.internal;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.http.HttpServletRequest;

import io.mcpagent.api.security.ApiKeyGivenAsIdException;
import io.mcpagent.api.security.ApiKeys;
import io.mcpagent.api.security.LastAdminKeyException;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/**
 * The API keys under {@code /api/v1/keys}, the REST twin of the {@code apikey:} commands: list them (ids, roles,
 * names, creation times; never a key or its hash), create one (its text is answered once and kept nowhere) and
 * revoke one. All of it needs the role admin: a key is power over the whole API. The key store audits what it does
 * with the caller passed to it.
 */
final class KeyRoutes {
    static final String PREFIX = "/keys";
    private static final Set<String> CREATE_FIELDS = Set.of("role", "name", "tenant");
    private static final String CREATE_BODY = "{\"role\":\"viewer|operator|admin\",\"name\":\"who uses it\","
            + "\"tenant\":\"the tenant it acts for (optional)\"}";
    private static final ObjectMapper JSON = RequestJson.MAPPER;

    private final ApiKeys keys;

    KeyRoutes(ApiKeys keys) {
        this.keys = keys;
    }

    static boolean handles(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    ApiReply route(HttpServletRequest request, String path, byte[] body, McpRoutes.Access access) throws ApiError {
        String method = request.getMethod();
        if (path.equals(PREFIX)) {
            if (!"GET".equals(method) && !"POST".equals(method)) {
                throw ApiError.methodNotAllowed(method, List.of("GET", "POST"));
            }
            Principal caller = access.require(Role.ADMIN);
            return "GET".equals(method) ? ApiReply.ok(list(request)) : ApiReply.created(create(body, caller));
        }
        String id = path.substring(PREFIX.length() + 1);
        if (id.isEmpty() || id.contains("/")) {
            throw ApiError.notFound("no endpoint " + method + " /api/v1" + ApiError.echo(path)
                    + "; the key endpoints are"
                    + " /api/v1/keys and /api/v1/keys/{id}");
        }
        if (!"DELETE".equals(method)) {
            throw ApiError.methodNotAllowed(method, List.of("DELETE"));
        }
        // the container decoded the path already: decoding it again would turn an id's '+' or '%41' into ' ' or 'A'
        return revoke(id, access.require(Role.ADMIN));
    }

    private ObjectNode list(HttpServletRequest request) throws ApiError {
        Page page = Page.of(request);
        List<ApiKeys.KeyInfo> all = keys(ApiKeys::list);
        List<ApiKeys.KeyInfo> shown = page.of(all);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode array = answer.putArray("keys");
        shown.forEach(key -> array.add(describe(key)));
        answer.put("count", shown.size());
        return page.describe(answer, all.size());
    }

    private ObjectNode create(byte[] body, Principal caller) throws ApiError {
        ObjectNode fields = object(body);
        JsonNode roleNode = fields.get("role");
        if (roleNode == null || roleNode.isNull()) {
            throw ApiError.invalid("/role", "\"role\" is required, one of " + Role.ids() + ": " + CREATE_BODY);
        }
        if (!roleNode.isTextual()) {
            throw ApiError.invalid("/role", "\"role\" must be a string, one of " + Role.ids() + ", not "
                    + roleNode.getNodeType().name().toLowerCase(Locale.ROOT) + ": " + CREATE_BODY);
        }
        Role role = Role.parse(roleNode.textValue()).orElseThrow(() -> ApiError.invalid("/role", "unknown role '"
                + roleNode.textValue() + "'; use one of: " + Role.ids()));
        String name = null;
        JsonNode nameNode = fields.get("name");
        if (nameNode != null && !nameNode.isNull()) {
            if (!nameNode.isTextual()) {
                throw ApiError.invalid("/name", "\"name\" must be a string saying who or what uses the key");
            }
            String problem = StoredApiKeys.nameProblem(nameNode.textValue());
            if (problem != null) {
                throw ApiError.invalid("/name", "\"name\" " + problem);
            }
            name = nameNode.textValue();
        }
        JsonNode tenantNode = fields.get("tenant");
        String tenant = null;
        if (tenantNode != null && !tenantNode.isNull()) {
            if (!tenantNode.isTextual() || !Principal.isTenantName(tenantNode.textValue())) {
                throw ApiError.invalid("/tenant", "\"tenant\" must be " + Principal.TENANT_RULE);
            }
            tenant = tenantNode.textValue();
            if (role == Role.ADMIN) {
                throw ApiError.invalid("/tenant", "\"tenant\" is refused: " + StoredApiKeys.ADMIN_TAKES_NO_TENANT);
            }
        }
        String named = name;
        String forTenant = tenant;
        ApiKeys.CreatedKey created = keys(store -> store.create(role, named, forTenant, caller));
        return describe(created.key()).put("key", created.secret());
    }

    private ApiReply revoke(String id, Principal caller) throws ApiError {
        boolean revoked;
        try {
            revoked = keys(store -> store.revoke(id, caller));
        } catch (ApiKeyGivenAsIdException e) {
            throw ApiError.badRequest(e.getMessage() + ": DELETE /api/v1/keys/" + e.id());
        } catch (LastAdminKeyException e) {
            throw ApiError.conflict(e.getMessage());
        }
        if (!revoked) {
            throw ApiError.notFound("no API key with id '" + ApiError.echo(id) + "'; GET /api/v1/keys lists them");
        }
        return ApiReply.noContent();
    }

    /** What {@code use} does with the keys; 503 naming the problem when the key file cannot be read or written. */
    private <T> T keys(java.util.function.Function<ApiKeys, T> use) throws ApiError {
        try {
            return use.apply(keys);
        } catch (IllegalStateException e) {
            throw ApiError.unavailable(e.getMessage());
        }
    }

    private static ObjectNode describe(ApiKeys.KeyInfo key) {
        return JSON.createObjectNode().put("id", key.id()).put("role", key.role().id()).put("name", key.name())
                .put("created", key.created().toString()).put("tenant", key.tenant());
    }

    private static ObjectNode object(byte[] body) throws ApiError {
        JsonNode parsed = body.length == 0 ? null : RequestJson.read(JSON.reader(), body, CREATE_BODY);
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiError.badRequest("the body must be a JSON object: " + CREATE_BODY);
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CREATE_FIELDS.contains(name)) {
                throw ApiError.invalid(ApiError.pointer(name), "unknown field \"" + name
                        + "\"; the fields are role, name and tenant: " + CREATE_BODY);
            }
        }
        return object;
    }
}
