package io.mcpagent.provider.support;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;

/**
 * Models as configured in {@code etc/}: one string per model, {@code id;capabilities;contextWindow;input;output}
 * with capabilities comma separated ({@code tools,vision,structured_output,streaming,reasoning}) and prices in
 * USD per million tokens, e.g. {@code gpt-4.1-mini;tools,vision,structured_output,streaming;1047576;0.40;1.60}.
 * Trailing fields may be left out.
 */
public final class ModelSpecs {
    private ModelSpecs() {
    }

    /** @throws IllegalArgumentException naming the entry and the field that is wrong */
    public static List<ModelInfo> parse(String[] specs) {
        List<ModelInfo> models = new ArrayList<>();
        for (String spec : specs) {
            models.add(parse(spec));
        }
        return List.copyOf(models);
    }

    /**
     * {@code models} with {@code defaultModel} first, since a provider's first model is its default: moved there when
     * listed, else added with streaming as its only known capability and no context window or prices. A blank
     * {@code defaultModel} leaves the list as it is.
     */
    public static List<ModelInfo> defaultFirst(List<ModelInfo> models, String defaultModel) {
        String id = defaultModel == null ? "" : defaultModel.strip();
        if (id.isEmpty()) {
            return List.copyOf(models);
        }
        List<ModelInfo> ordered = new ArrayList<>();
        ordered.add(models.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseGet(() -> new ModelInfo(id, Set.of(ModelCapability.STREAMING), 0, null, null)));
        models.stream().filter(m -> !m.id().equals(id)).forEach(ordered::add);
        return List.copyOf(ordered);
    }

    public static ModelInfo parse(String spec) {
        String[] fields = spec.split(";", -1);
        String id = fields[0].trim();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("model spec '" + spec + "' has no model id");
        }
        Set<ModelCapability> capabilities = EnumSet.noneOf(ModelCapability.class);
        if (fields.length > 1) {
            for (String capability : fields[1].split(",")) {
                if (!capability.isBlank()) {
                    try {
                        capabilities.add(ModelCapability.valueOf(capability.trim().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("model spec '" + spec + "': capability '" + capability.trim()
                                + "' unknown; use tools, vision, structured_output, streaming, reasoning");
                    }
                }
            }
        }
        int context = fields.length > 2 && !fields[2].isBlank() ? integer(spec, "context window", fields[2]) : 0;
        BigDecimal input = fields.length > 3 && !fields[3].isBlank() ? price(spec, "input price", fields[3]) : null;
        BigDecimal output = fields.length > 4 && !fields[4].isBlank() ? price(spec, "output price", fields[4]) : null;
        return new ModelInfo(id, capabilities, context, input, output);
    }

    private static int integer(String spec, String what, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model spec '" + spec + "': " + what + " '" + value + "' is not a number");
        }
    }

    private static BigDecimal price(String spec, String what, String value) {
        try {
            BigDecimal price = new BigDecimal(value.trim());
            if (price.signum() < 0) {
                throw new NumberFormatException();
            }
            return price;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model spec '" + spec + "': " + what + " '" + value
                    + "' is not a non-negative number");
        }
    }
}
