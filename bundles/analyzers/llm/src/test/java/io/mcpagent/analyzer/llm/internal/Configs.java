package io.mcpagent.analyzer.llm.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** {@link LlmAnalyzerConfig}s for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    private Configs() {
    }

    static LlmAnalyzerConfig config(Map<String, Object> overrides) {
        return (LlmAnalyzerConfig) Proxy.newProxyInstance(LlmAnalyzerConfig.class.getClassLoader(),
                new Class<?>[] {LlmAnalyzerConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> LlmAnalyzerConfig.class;
                    case "toString" -> "LlmAnalyzerConfig" + overrides;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
