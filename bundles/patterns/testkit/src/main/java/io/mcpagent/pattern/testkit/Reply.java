package io.mcpagent.pattern.testkit;

import java.util.Objects;

import io.mcpagent.api.agent.AgentOutcome;

/** What a scripted agent does next in a {@link TestWorkflowContext}. */
public sealed interface Reply {

    /** Ends the run with this answer (also its structured answer when the agent asked for JSON). */
    record Answer(String text) implements Reply {
        public Answer {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Calls one of the agent's functions (e.g. a handoff), then goes on with the agent's next reply. */
    record CallFunction(String function, String argumentsJson) implements Reply {
        public CallFunction {
            Objects.requireNonNull(function, "function");
            argumentsJson = argumentsJson == null ? "{}" : argumentsJson;
        }
    }

    /** Ends the run without an answer. */
    record Stop(AgentOutcome outcome, String error) implements Reply {
        public Stop {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    static Reply answer(String text) {
        return new Answer(text);
    }

    static Reply call(String function, String argumentsJson) {
        return new CallFunction(function, argumentsJson);
    }

    static Reply fail(String error) {
        return new Stop(AgentOutcome.FAILED, error);
    }
}
