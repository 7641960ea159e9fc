package io.mcpagent.pattern.router.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.runtime.ParserMessages;

/**
 * The agent that routes: what it is told, what it is shown, the JSON schema of its answer
 * ({@code {"choices":[{"candidate","confidence","reasoning"}]}}), and how that answer is read.
 */
final class RoutingAgent {
    static final String NAME = "router";
    static final String SCHEMA_NAME = "route";
    static final String INSTRUCTION = """
            You route a task to the candidates best suited to carry it out. You are shown the task and the candidates, \
            each with its name, kind and what it is good at. Answer only with JSON: {"choices":[{"candidate":"<name \
            exactly as listed>","confidence":<number from 0 to 1>,"reasoning":"<one sentence>"}]}, best first. \
            confidence is how likely that candidate carries out the task well: 1 = certainly, 0 = not at all. Choose \
            only listed candidates, each at most once, and no more than you are asked for.""";
    /** One answer, and one more try when it is not valid JSON: the agent has no tools to loop over. */
    private static final int MAX_ITERATIONS = 2;
    private static final int EXCERPT = 200;

    private final ObjectMapper json;

    RoutingAgent(ObjectMapper json) {
        this.json = json;
    }

    /** The answer could not be read as choices; the message says what is wrong with it. */
    static final class MalformedAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedAnswer(String message) {
            super(message);
        }
    }

    AgentSpec spec(List<String> candidateNames, ModelRequirements model) {
        return new AgentSpec(NAME, INSTRUCTION, List.of(), null, null, model,
                new ResponseFormat.JsonSchema(SCHEMA_NAME, schema(candidateNames), true),
                AgentLimits.DEFAULTS.withMaxIterations(MAX_ITERATIONS));
    }

    /** The schema names the candidates, so that providers enforcing it cannot answer with another name. */
    private String schema(List<String> candidateNames) {
        ObjectNode choice = json.createObjectNode().put("type", "object");
        ObjectNode properties = choice.putObject("properties");
        ArrayNode names = properties.putObject("candidate").put("type", "string").putArray("enum");
        candidateNames.forEach(names::add);
        properties.putObject("confidence").put("type", "number").put("minimum", 0).put("maximum", 1);
        properties.putObject("reasoning").put("type", "string");
        choice.putArray("required").add("candidate").add("confidence").add("reasoning");
        choice.put("additionalProperties", false);

        ObjectNode schema = json.createObjectNode().put("type", "object");
        ObjectNode choices = schema.putObject("properties").putObject("choices").put("type", "array").put("minItems", 1);
        choices.set("items", choice);
        schema.putArray("required").add("choices");
        schema.put("additionalProperties", false);
        return schema.toString();
    }

    String input(String task, List<Candidate> candidates, int topK) {
        StringBuilder text = new StringBuilder("Task:\n").append(task.strip()).append("\n\nCandidates:\n");
        for (Candidate candidate : candidates) {
            String description = candidate.description().isBlank() ? "(no description)" : candidate.description().strip();
            text.append("- ").append(candidate.name()).append(" [").append(candidate.kind()).append("]: ")
                    .append(description.replace('\n', ' ')).append('\n');
        }
        text.append("\nChoose ").append(topK == 1 ? "the one best candidate." : "up to " + topK + " candidates, best first.");
        return text.toString();
    }

    /** The choices in the order the agent gave them; confidences as given (range is checked by {@link Route}). */
    List<Choice> parse(String answer) throws MalformedAnswer {
        if (answer == null || answer.isBlank()) {
            throw new MalformedAnswer("the routing agent gave an empty answer");
        }
        JsonNode root;
        try {
            root = json.readTree(answer);
        } catch (JacksonException e) {
            throw new MalformedAnswer("the routing agent's answer is not JSON ("
                    + ParserMessages.withoutSource(e.getOriginalMessage()) + "): "
                    + excerpt(answer));
        }
        JsonNode choices = root.path("choices");
        if (!root.isObject() || !choices.isArray()) {
            throw new MalformedAnswer("the routing agent's answer has no \"choices\" array: " + excerpt(answer));
        }
        List<Choice> parsed = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            parsed.add(choice(choices.get(i), i + 1));
        }
        return parsed;
    }

    private static Choice choice(JsonNode node, int position) throws MalformedAnswer {
        String where = "choice " + position + " of the routing agent's answer";
        if (!node.isObject()) {
            throw new MalformedAnswer(where + " is not an object: " + excerpt(node.toString()));
        }
        JsonNode candidate = node.path("candidate");
        if (!candidate.isTextual() || candidate.asText().isBlank()) {
            throw new MalformedAnswer(where + " has no \"candidate\" name: " + excerpt(node.toString()));
        }
        JsonNode confidence = node.path("confidence");
        if (!confidence.isNumber()) {
            throw new MalformedAnswer(where + " ('" + candidate.asText() + "') has no numeric \"confidence\": "
                    + excerpt(node.toString()));
        }
        JsonNode reasoning = node.path("reasoning");
        if (!reasoning.isMissingNode() && !reasoning.isNull() && !reasoning.isTextual()) {
            throw new MalformedAnswer(where + " ('" + candidate.asText() + "') has a \"reasoning\" that is not text: "
                    + excerpt(node.toString()));
        }
        return new Choice(candidate.asText().strip(), confidence.asDouble(), reasoning.isTextual() ? reasoning.asText() : "");
    }

    private static String excerpt(String text) {
        String flat = text.strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "...";
    }
}
