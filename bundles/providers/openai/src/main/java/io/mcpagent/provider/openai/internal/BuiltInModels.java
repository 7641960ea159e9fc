package io.mcpagent.provider.openai.internal;

import java.util.List;

/**
 * The model specs a dialect serves when the configuration lists none (reference §12, §13; context windows as
 * published by the vendors, which change: operators override them with {@code models}).
 */
final class BuiltInModels {
    static final List<String> OPENAI = List.of(
            "gpt-5.4-mini;tools,vision,structured_output,streaming,reasoning;400000;0.75;4.50;0.075",
            "gpt-5.4;tools,vision,structured_output,streaming,reasoning;1050000;2.50;15.00;0.25;;;>272000:5.00:22.50",
            "gpt-5.4-nano;tools,vision,structured_output,streaming,reasoning;400000;0.20;1.25;0.02",
            "gpt-5.5;tools,vision,structured_output,streaming,reasoning;1050000;5.00;30.00;0.50",
            "gpt-5.6-sol;tools,vision,structured_output,streaming,reasoning;1050000;5.00;30.00;0.50;6.25;;>272000:10.00:45.00",
            "gpt-5.6-terra;tools,vision,structured_output,streaming,reasoning;400000;2.00;12.00;0.20;2.50",
            "gpt-5.6-luna;tools,vision,structured_output,streaming,reasoning;400000;0.20;1.20;0.02;0.25",
            "gpt-5;tools,vision,structured_output,streaming,reasoning;400000;1.25;10.00;0.125",
            "gpt-5-mini;tools,vision,structured_output,streaming,reasoning;400000;0.25;2.00;0.025",
            "gpt-5-nano;tools,vision,structured_output,streaming,reasoning;400000;0.05;0.40;0.005",
            "gpt-4.1;tools,vision,structured_output,streaming;1047576;2.00;8.00;0.50",
            "gpt-4.1-mini;tools,vision,structured_output,streaming;1047576;0.40;1.60;0.10",
            "o4-mini;tools,vision,structured_output,streaming,reasoning;200000;1.10;4.40;0.275");

    /** Deployment names are the operator's; these assume deployments named after the models (Global Standard prices). */
    static final List<String> AZURE = List.of(
            "gpt-5.4-mini;tools,vision,structured_output,streaming,reasoning;400000;0.75;4.50",
            "gpt-5.4;tools,vision,structured_output,streaming,reasoning;1050000;2.50;15.00",
            "gpt-5;tools,vision,structured_output,streaming,reasoning;400000;1.25;10.00",
            "gpt-5-mini;tools,vision,structured_output,streaming,reasoning;400000;0.25;2.00",
            "gpt-4.1;tools,vision,structured_output,streaming;1047576;2.00;8.00",
            "gpt-4.1-mini;tools,vision,structured_output,streaming;1047576;0.40;1.60",
            "o4-mini;tools,vision,structured_output,streaming,reasoning;200000;1.10;4.40;0.28",
            "o3;tools,vision,structured_output,streaming,reasoning;200000;2.00;8.00;0.50");

    /** Self-hosted: no token price. Context windows are the models' defaults; Ollama's num_ctx may be smaller. */
    static final List<String> OLLAMA = List.of(
            "qwen3;tools,streaming,reasoning,structured_output;40960;0;0",
            "gpt-oss:20b;tools,streaming,reasoning,structured_output;131072;0;0",
            "llama3.2;tools,streaming,structured_output;131072;0;0",
            "qwen3-vl:8b;tools,vision,streaming,structured_output;;0;0",
            "gemma4;vision,streaming,structured_output;;0;0");

    static final List<String> OPENROUTER = List.of(
            "openai/gpt-5.4-mini;tools,vision,structured_output,streaming,reasoning;400000;0.75;4.50",
            "anthropic/claude-sonnet-4.5;tools,vision,structured_output,streaming,reasoning;200000;3.00;15.00",
            "google/gemini-2.5-flash;tools,vision,structured_output,streaming,reasoning;1048576;0.30;2.50");

    private BuiltInModels() {
    }
}
