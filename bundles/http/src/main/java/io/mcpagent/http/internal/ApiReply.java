package io.mcpagent.http.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** A successful answer: its status and JSON body ({@code null} for 204, which has none). */
record ApiReply(int status, JsonNode body) {

    static ApiReply ok(JsonNode body) {
        return new ApiReply(200, body);
    }

    static ApiReply created(JsonNode body) {
        return new ApiReply(201, body);
    }

    static ApiReply noContent() {
        return new ApiReply(204, null);
    }
}
