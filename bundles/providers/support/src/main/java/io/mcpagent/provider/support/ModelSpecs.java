package io.mcpagent.provider.support;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.PriceTier;
import io.mcpagent.api.runtime.ConfigRanges;

/**
 * Models as configured in {@code etc/}: one string per model,
 * {@code id;capabilities;contextWindow;input;output;cacheRead;cacheWrite;cacheWrite1h;tiers} with capabilities comma
 * separated ({@code tools,vision,structured_output,streaming,reasoning}) and prices in USD per million tokens, e.g.
 * {@code gpt-4.1-mini;tools,vision,structured_output,streaming;1047576;0.40;1.60;0.10}. {@code cacheRead} and
 * {@code cacheWrite} price the input tokens read from and written to the provider's prompt cache; without them those
 * tokens cost the input price. {@code cacheWrite1h} prices the writes to a cache kept one hour (Anthropic's
 * {@code 1h} ttl); without it they cost the {@code cacheWrite} price. {@code tiers} price longer prompts, comma
 * separated, each {@code >aboveInputTokens:input:output[:cacheRead[:cacheWrite[:cacheWrite1h]]]}, e.g.
 * {@code >200000:2.50:15.00} ({@link PriceTier}). Trailing fields may be left out. A price is refused unless from 0 to
 * 1000 with at most 10 decimal places ({@link ConfigRanges#pricePerMillionUsd}).
 */
public final class ModelSpecs {
    private static final int FIELDS = 9;

    private ModelSpecs() {
    }

    /** @throws IllegalArgumentException naming every wrong entry and every wrong field of it */
    public static List<ModelInfo> parse(String[] specs) {
        List<ModelInfo> models = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String spec : specs) {
            try {
                models.add(parse(spec));
            } catch (IllegalArgumentException wrong) {
                problems.add(wrong.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
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

    /** @throws IllegalArgumentException naming the entry and every field of it that is wrong */
    public static ModelInfo parse(String spec) {
        String[] fields = spec.split(";", -1);
        List<String> problems = new ArrayList<>();
        String id = fields[0].trim();
        if (id.isEmpty()) {
            problems.add("no model id");
        }
        Set<ModelCapability> capabilities = EnumSet.noneOf(ModelCapability.class);
        if (fields.length > 1) {
            for (String capability : fields[1].split(",")) {
                if (!capability.isBlank()) {
                    try {
                        capabilities.add(ModelCapability.valueOf(capability.trim().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        problems.add("capability '" + capability.trim()
                                + "' unknown; use tools, vision, structured_output, streaming, reasoning");
                    }
                }
            }
        }
        if (fields.length > FIELDS) {
            // a tenth field (a second capability list, tiers after a semicolon) would otherwise be dropped unseen
            problems.add(fields.length + " fields where at most " + FIELDS + " are read: id;capabilities;contextWindow;"
                    + "inputPrice;outputPrice;cacheReadPrice;cacheWritePrice;cacheWrite1hPrice;tiers");
        }
        Integer context = fields.length > 2 && !fields[2].isBlank() ? contextWindow(fields[2], problems) : Integer.valueOf(0);
        BigDecimal input = fields.length > 3 && !fields[3].isBlank() ? price("input price", fields[3], problems) : null;
        BigDecimal output = fields.length > 4 && !fields[4].isBlank() ? price("output price", fields[4], problems) : null;
        BigDecimal cacheRead = fields.length > 5 && !fields[5].isBlank()
                ? price("cache read price", fields[5], problems) : null;
        BigDecimal cacheWrite = fields.length > 6 && !fields[6].isBlank()
                ? price("cache write price", fields[6], problems) : null;
        BigDecimal cacheWrite1h = fields.length > 7 && !fields[7].isBlank()
                ? price("one-hour cache write price", fields[7], problems) : null;
        List<PriceTier> tiers = fields.length > 8 && !fields[8].isBlank() ? tiers(fields[8], problems) : List.of();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("model spec '" + spec + "': " + String.join("; ", problems));
        }
        return new ModelInfo(id, capabilities, context, input, output, cacheRead, cacheWrite, cacheWrite1h, tiers);
    }

    /** The price tiers, each {@code >aboveInputTokens:input:output[:cacheRead[:cacheWrite[:cacheWrite1h]]]}. */
    private static List<PriceTier> tiers(String value, List<String> problems) {
        List<PriceTier> tiers = new ArrayList<>();
        for (String text : value.split(",")) {
            String tier = text.trim();
            String[] parts = tier.split(":", -1);
            if (!tier.startsWith(">") || parts.length < 3 || parts.length > 6) {
                problems.add("price tier '" + tier + "' is not >aboveInputTokens:input:output"
                        + "[:cacheRead[:cacheWrite[:cacheWrite1h]]]");
                continue;
            }
            long above;
            try {
                above = Long.parseLong(parts[0].substring(1).trim());
            } catch (NumberFormatException e) {
                above = -1;
            }
            if (above < 0) {
                problems.add("price tier '" + tier + "': '" + parts[0].substring(1)
                        + "' is not a number of input tokens");
                continue;
            }
            BigDecimal input = price("tier input price", parts[1], problems);
            BigDecimal output = price("tier output price", parts[2], problems);
            BigDecimal cacheRead = parts.length > 3 && !parts[3].isBlank()
                    ? price("tier cache read price", parts[3], problems) : null;
            BigDecimal cacheWrite = parts.length > 4 && !parts[4].isBlank()
                    ? price("tier cache write price", parts[4], problems) : null;
            BigDecimal cacheWrite1h = parts.length > 5 && !parts[5].isBlank()
                    ? price("tier one-hour cache write price", parts[5], problems) : null;
            if (input != null && output != null) {
                tiers.add(new PriceTier(above, input, output, cacheRead, cacheWrite, cacheWrite1h));
            }
        }
        return tiers;
    }

    /** The context window in tokens; null, with the mistake noted, unless a whole number that is not negative. */
    private static Integer contextWindow(String value, List<String> problems) {
        try {
            int context = Integer.parseInt(value.trim());
            if (context >= 0) {
                return context;
            }
            problems.add("context window '" + value + "' must not be negative (leave it empty when unknown)");
        } catch (NumberFormatException e) {
            problems.add("context window '" + value + "' is not a number");
        }
        return null;
    }

    /**
     * The price; null, with the mistake noted, unless a number in the range of {@link ConfigRanges#pricePerMillionUsd}:
     * a price beyond it would make costs the history cannot store (1e300) or a thousand digits long (1e-1000). A
     * negative price is out of that range too, and named so, as the router counts it (unknown).
     */
    private static BigDecimal price(String what, String value, List<String> problems) {
        BigDecimal price;
        try {
            price = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            price = null;
        }
        if (price == null) {
            problems.add(what + " '" + value + "' is not a number");
            return null;
        }
        try {
            return ConfigRanges.pricePerMillionUsd(what, price);
        } catch (IllegalArgumentException outOfRange) {
            problems.add(outOfRange.getMessage());
            return null;
        }
    }
}
