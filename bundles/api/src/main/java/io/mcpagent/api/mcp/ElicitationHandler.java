package io.mcpagent.api.mcp;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers a server's request for user input (MCP elicitation, form mode). The platform registers none by default:
 * without a handler, servers configured with {@code elicitation = "defaults"} get the schema's defaults accepted,
 * the others a decline. Register one (with a service ranking) to ask a person or apply a policy.
 */
@ConsumerType
public interface ElicitationHandler {

    /** {@code requestedSchemaJson} is the flat JSON Schema object of the form; defaults are already filled in {@code defaultsJson}. */
    ElicitationResponse elicit(String serverId, String message, String requestedSchemaJson, String defaultsJson);

    /** {@code action} is {@code accept}, {@code decline} or {@code cancel}; {@code contentJson} a JSON object when accepting. */
    record ElicitationResponse(String action, String contentJson) {
        public static ElicitationResponse decline() {
            return new ElicitationResponse("decline", null);
        }
    }
}
