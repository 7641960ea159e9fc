package io.mcpagent.benchmarks.agents;

/** The one tool turn every side performs: the model asks for the weather in Paris, gets it, answers. */
final class Weather {
    static final String INSTRUCTION = "You answer questions about the weather.";
    static final String QUESTION = "What is the weather in Paris?";
    static final String TOOL = "get_weather";
    static final String TOOL_DESCRIPTION = "Current weather in a city";
    static final String TOOL_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
            + "\"description\":\"the city\"}},\"required\":[\"city\"]}";
    static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";
    static final String TOOL_RESULT = "sunny, 21 C";
    static final String ANSWER = "It is sunny and 21 C in Paris.";
    /** The model name both clients send; the fake answers whatever is asked. */
    static final String MODEL = "gpt-4.1-mini";

    private Weather() {
    }

    /** What the tool answers for a city. */
    static String weather(String city) {
        return "Paris".equals(city) ? TOOL_RESULT : "unknown city " + city;
    }
}
