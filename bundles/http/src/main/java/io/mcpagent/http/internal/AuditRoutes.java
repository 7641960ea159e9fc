package io.mcpagent.http.internal;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.http.HttpServletRequest;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.api.security.Role;

/**
 * {@code GET /api/v1/audit}: the audit log, newest first, filtered by actor, action (or a family of actions, such as
 * {@code server}) and time, paged. Admins only: it names every caller and what they did.
 */
final class AuditRoutes {
    static final String PATH = "/audit";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpRoutes.Required<AuditLog> log;

    AuditRoutes(McpRoutes.Required<AuditLog> log) {
        this.log = log;
    }

    ApiReply route(HttpServletRequest request, McpRoutes.Access access) throws ApiError {
        if (!"GET".equals(request.getMethod())) {
            throw ApiError.methodNotAllowed(request.getMethod(), List.of("GET"));
        }
        access.require(Role.ADMIN);
        Page page = Page.of(request, Page.LIMIT, 100, AuditQuery.MAX_LIMIT);
        Page.Range range = Page.range(request);
        AuditQuery query = new AuditQuery(stripped(Page.parameter(request, "actor")),
                stripped(Page.parameter(request, "action")), range.from(), range.to(), page.offset(), page.limit());
        AuditLog audit = log.require();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode entries = answer.putArray("entries");
        for (AuditEntry entry : audit.query(query)) {
            entries.addObject().put("timestamp", entry.timestamp().toString()).put("actor", entry.actor())
                    .put("role", entry.role()).put("tenant", entry.tenant()).put("action", entry.action())
                    .put("target", entry.target()).put("outcome", entry.outcome()).put("detail", entry.detail());
        }
        return ApiReply.ok(page.describe(answer, audit.count(query)));
    }

    private static String stripped(String text) {
        return text == null ? null : text.strip();
    }
}
