package io.mcpagent.mcp.internal.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An in-process server for misbehaviour no real server shows: it answers initialize as a 2025-06-18 server, and every
 * other request with what {@code answers} gives (the messages it sends back, delivered before send returns).
 */
final class ScriptedTransport implements Transport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Function<ObjectNode, List<JsonNode>> answers;
    private final boolean answersInitialize;
    /** Everything the client sent, in order. */
    final List<ObjectNode> sent = new CopyOnWriteArrayList<>();
    volatile Inbound inbound;
    /** What the end of the handshake said of the server asking during a call; null before it. */
    volatile Boolean serverMayAsk;

    ScriptedTransport(Function<ObjectNode, List<JsonNode>> answers) {
        this(answers, false);
    }

    /** With {@code answersInitialize}, initialize too is answered with what {@code answers} gives. */
    ScriptedTransport(Function<ObjectNode, List<JsonNode>> answers, boolean answersInitialize) {
        this.answers = answers;
        this.answersInitialize = answersInitialize;
    }

    /** A JSON message written as JSON5-ish single-quoted text, for short tests. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Override
    public void sessionEstablished(boolean mayAsk) {
        serverMayAsk = mayAsk;
    }

    @Override
    public void start(Inbound value) {
        this.inbound = value;
    }

    @Override
    public Exchange send(ObjectNode message, Outgoing outgoing) {
        sent.add(message);
        if (!message.has("id") || !message.has("method")) {
            return Exchange.DONE; // notifications and our answers to the server's requests
        }
        List<JsonNode> replies = !answersInitialize && message.path("method").asText().equals("initialize")
                ? List.of(json("{'jsonrpc':'2.0','id':" + message.get("id") + ",'result':{'protocolVersion':'2025-06-18',"
                        + "'capabilities':{'tools':{}},'serverInfo':{'name':'scripted','version':'1'}}}"))
                : answers.apply(message);
        replies.forEach(inbound::onMessage);
        return Exchange.DONE;
    }

    @Override
    public String kind() {
        return "scripted";
    }

    @Override
    public void close() {
    }
}
