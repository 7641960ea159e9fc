package io.mcpagent.core.internal.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Amounts;
import io.mcpagent.api.runtime.ConfigRanges;

/**
 * One look at the providers registered now: which of their models fit a call's requirements, ranked by the
 * requirement's preference, and, when none fits, which requirement nothing met. Made afresh for every choice, so
 * it never holds on to a provider.
 */
final class ModelSelector {
    private static final int LISTED_MODELS = 12;
    /** Providers named with the models line to declare what their models can do. */
    private static final int DECLARATION_EXAMPLES = 3;
    /**
     * How a user names a provider where this message reaches them (the request's providerId is the Java API's word,
     * which no REST field or shell option has).
     */
    private static final String HOW_TO_NAME = " (\"provider\" over REST, --provider in the shell, providerId in"
            + " the Java API) or in a fallback chain";

    /** The {@link Selection#brief} of a provider that is not registered. */
    private static final String NOT_REGISTERED = "not registered";
    /** The model of a call to a provider that lists none, when the call names none either. */
    static final String UNLISTED_MODEL = "(none listed)";

    /**
     * A fitting model; {@code serviceId} is the registration it was found on, to tell a provider that left;
     * {@code refused} says that registration's last call failed in a way retrying does not mend (a bad key);
     * {@code unlistedDown} says why a provider the caller named is asked though it lists no models (it is DOWN, a
     * configuration with mistakes serves none): its own refusal is the answer (null for a listed model).
     */
    record Candidate(String providerId, long serviceId, ModelInfo model, int modelIndex, BigDecimal price,
                     LatencyTracker.Stat latency, int load, boolean refused, String unlistedDown) {
        /** The provider the caller named, which is DOWN and lists no models, asked for {@code model} (null: none). */
        static Candidate unlisted(PluginInfo plugin, String model, String down) {
            return new Candidate(plugin.id(), plugin.serviceId(), new ModelInfo(model == null ? UNLISTED_MODEL : model,
                    Set.of(), 0, null, null), 0, null, null, 0, false, down);
        }

        /** Whether the call keeps the model its request names: the provider listed none to put there. */
        boolean keepsRequestedModel() {
            return unlistedDown != null && UNLISTED_MODEL.equals(model.id());
        }

        String label() {
            return providerId + "/" + model.id();
        }

        Duration medianLatency() {
            return latency == null ? null : latency.median();
        }
    }

    /**
     * The fitting models, best first; when there are none, {@code problem} says why and {@code circuitWait} is the
     * time until the first open circuit half-opens if open circuits are all that stand in the way (else null).
     * {@code passedOver} is the model that would have ranked first but for its provider's circuit (with none ranked, the
     * best of those behind circuits), null when the first one ranked is the first choice. {@code brief} is why in one
     * short clause, for a selection among one provider's models (a fallback chain's entry), e.g. {@code no model has
     * tools}; null when a model fits.
     */
    record Selection(List<Candidate> ranked, String problem, Duration circuitWait, PassedOver passedOver,
                     String brief) {
        static Selection none(String problem, String brief) {
            return new Selection(List.of(), problem, null, null, brief);
        }
    }

    /** A fitting model left out of the ranking, and why (its provider's circuit, e.g. open, half-opens in 12 s). */
    record PassedOver(Candidate candidate, String reason) {
    }

    /**
     * What was learnt about one provider: its models (null if it could not list them), why it may not be called, and
     * its health when DOWN ({@code DOWN: <why>}, else null).
     */
    private record Evaluation(PluginInfo plugin, List<ModelInfo> models, String problem, String unavailable,
                              Duration circuitWait, String down, boolean left) {
    }

    private record Ref(String providerId, ModelInfo model) {
        String label() {
            return providerId + "/" + model.id();
        }
    }

    private final PluginManager plugins;
    private final boolean excludeUnhealthy;
    private final Map<String, Circuit> circuits;
    private final Predicate<PluginInfo> refused;
    private final LatencyTracker latencies;
    private final ToIntFunction<String> load;
    private final Instant now;

    /**
     * {@code refused} says whether a registration's last call was refused (AUTH, PERMISSION, QUOTA_EXHAUSTED), which
     * ranks it last; {@code load} is the number of calls a provider is answering now, to spread calls
     * among equal choices.
     */
    ModelSelector(PluginManager plugins, boolean excludeUnhealthy, Map<String, Circuit> circuits,
                  Predicate<PluginInfo> refused, LatencyTracker latencies, ToIntFunction<String> load, Instant now) {
        this.plugins = plugins;
        this.excludeUnhealthy = excludeUnhealthy;
        this.circuits = circuits;
        this.refused = refused;
        this.latencies = latencies;
        this.load = load;
        this.now = now;
    }

    static boolean isScripted(PluginInfo plugin) {
        return Boolean.parseBoolean(plugin.properties().get(PluginProperties.SCRIPTED_PROVIDER));
    }

    /**
     * The fitting models for a caller's requirements. A provider the caller names is not left out for being DOWN: it
     * is called, so that its own reason (a missing key, a broken configuration) reaches the caller; also when it lists
     * no models, as a configuration with mistakes serves none.
     */
    Selection select(ModelRequirements req) {
        return select(req, blankToNull(req.providerId()) != null);
    }

    /** The fitting models of fallback chain entry {@code providerId}, left out when DOWN like any other choice. */
    Selection selectChained(ModelRequirements req, String providerId) {
        return select(new ModelRequirements(req.capabilities(), req.minContextWindow(), req.preference(), providerId,
                req.model(), List.of()), false);
    }

    private Selection select(ModelRequirements req, boolean namedByCaller) {
        List<PluginInfo> registered = plugins.list(PluginKind.PROVIDER);
        String pinned = blankToNull(req.providerId());
        if (registered.isEmpty()) {
            // a caller who named a provider is told about that one first
            return Selection.none((pinned == null ? "" : "provider '" + pinned + "' is not registered, and ")
                    + "no LLM provider is registered; configure one in etc/ or deploy a provider bundle "
                    + "(plugin:list shows what is registered)", NOT_REGISTERED);
        }
        List<PluginInfo> eligible = new ArrayList<>();
        List<String> scripted = new ArrayList<>();
        for (PluginInfo plugin : registered) {
            if (pinned != null) {
                if (plugin.id().equals(pinned)) {
                    eligible.add(plugin);
                }
            } else if (isScripted(plugin)) {
                scripted.add(plugin.id());
            } else {
                eligible.add(plugin);
            }
        }
        if (eligible.isEmpty()) {
            return Selection.none(pinned != null
                    ? "provider '" + pinned + "' is not registered; registered providers: " + ids(registered)
                    : "only scripted providers are registered (" + String.join(", ", scripted)
                            + "); they answer only when named as the provider" + HOW_TO_NAME,
                    pinned != null ? NOT_REGISTERED : "only scripted providers are registered");
        }
        List<Evaluation> evaluations = eligible.stream().map(plugin -> evaluate(plugin, namedByCaller)).toList();
        List<Candidate> ranked = new ArrayList<>();
        // ranked apart, to tell when the first choice is passed over: the caller would otherwise not know
        List<Candidate> behindCircuits = new ArrayList<>();
        Map<String, String> circuitReasons = new LinkedHashMap<>();
        for (Evaluation evaluation : evaluations) {
            boolean behindCircuit = evaluation.circuitWait() != null;
            if (evaluation.models() == null || evaluation.unavailable() != null && !behindCircuit) {
                continue;
            }
            if (behindCircuit) {
                circuitReasons.put(evaluation.plugin().id(), evaluation.unavailable());
            }
            // sorting the latency window costs more than the rest of a selection: only SPEED needs it
            LatencyTracker.Stat latency = req.preference() == ModelRequirements.Preference.SPEED
                    ? latencies.stat(evaluation.plugin().id()).orElse(null) : null;
            PluginInfo plugin = evaluation.plugin();
            int busy = load.applyAsInt(plugin.id());
            boolean ranksLast = refused.test(plugin);
            List<ModelInfo> models = evaluation.models();
            for (int i = 0; i < models.size(); i++) {
                ModelInfo model = models.get(i);
                if (fits(model, req)) {
                    (behindCircuit ? behindCircuits : ranked).add(new Candidate(plugin.id(), plugin.serviceId(), model,
                            i, price(model), latency, busy, ranksLast, null));
                }
            }
        }
        Comparator<Candidate> order = order(req.preference());
        ranked.sort(order);
        PassedOver passedOver = behindCircuits.stream().min(order)
                .filter(best -> ranked.isEmpty() || order.compare(best, ranked.get(0)) < 0)
                .map(best -> new PassedOver(best, circuitReasons.get(best.providerId()))).orElse(null);
        if (ranked.isEmpty() && passedOver == null && namedByCaller) {
            // a configuration with mistakes serves no models: left out, the caller would hear "no model fits" rather
            // than the provider's own refusal naming the mistakes, which a DOWN provider it names is called for
            Optional<Evaluation> unlisted = evaluations.stream()
                    .filter(e -> e.models() == null && e.down() != null && !e.left()).findFirst();
            if (unlisted.isPresent()) {
                return new Selection(List.of(Candidate.unlisted(unlisted.get().plugin(), blankToNull(req.model()),
                        unlisted.get().down())), null, null, null, null);
            }
        }
        if (ranked.isEmpty()) {
            return explain(req, evaluations, scripted, passedOver);
        }
        return new Selection(List.copyOf(ranked), null, null, passedOver, null);
    }

    private Evaluation evaluate(PluginInfo plugin, boolean namedByCaller) {
        String id = plugin.id();
        List<ModelInfo> models = null;
        String problem = null;
        Optional<LlmProvider> provider = plugins.service(id, LlmProvider.class);
        boolean left = provider.isEmpty();
        if (left) {
            problem = "it left while it was asked for its models";
        } else {
            try {
                List<ModelInfo> listed = provider.get().models();
                if (listed == null || listed.isEmpty()) {
                    problem = "it lists no models";
                } else if (listed.stream().anyMatch(Objects::isNull)) {
                    problem = "its list of models has a null entry"; // a third party's bug, named, not a bare NPE
                } else {
                    models = List.copyOf(listed);
                }
            } catch (RuntimeException | Error e) { // a third party's provider (a missing class) fails alone
                problem = "it failed to list its models: " + e;
            }
        }
        String down = plugins.health(id).filter(health -> health.status() == PluginHealth.Status.DOWN)
                .map(health -> "DOWN" + (health.message().isBlank() ? "" : ": " + health.message())).orElse(null);
        if (problem != null && down != null) {
            problem += "; " + down; // a broken configuration is why a provider lists no models
        }
        String unavailable = excludeUnhealthy && !namedByCaller ? down : null;
        Duration circuitWait = null;
        Circuit circuit = circuits.get(id);
        if (circuit != null && circuit.serviceId() != plugin.serviceId()) {
            circuit = null; // the circuit of a registration before: this one starts closed
        }
        if (unavailable == null && circuit != null && !circuit.admits(now)) {
            Duration remaining = circuit.remaining(now);
            if (remaining.isZero()) {
                unavailable = "circuit half-open, its trial call still running";
                circuitWait = Duration.ofSeconds(1);
            } else {
                unavailable = "circuit open after " + circuit.failures() + " consecutive failures, half-opens in "
                        + seconds(remaining);
                circuitWait = remaining;
            }
        }
        return new Evaluation(plugin, models, problem, unavailable, circuitWait, down, left);
    }

    private Selection explain(ModelRequirements req, List<Evaluation> evaluations, List<String> scripted,
                              PassedOver passedOver) {
        List<Ref> all = new ArrayList<>();
        for (Evaluation evaluation : evaluations) {
            if (evaluation.models() != null) {
                evaluation.models().forEach(m -> all.add(new Ref(evaluation.plugin().id(), m)));
            }
        }
        StringBuilder why = new StringBuilder("no model fits (").append(describe(req)).append("): ");
        // the clause of why alone, without the models listed or where to declare what they can do
        String brief;
        Duration wait = null;
        String pinnedModel = blankToNull(req.model());
        List<Ref> served = all.stream().filter(r -> pinnedModel == null || r.model().id().equals(pinnedModel)).toList();
        List<Ref> capable = served.stream().filter(r -> r.model().capabilities().containsAll(req.capabilities())).toList();
        List<Ref> roomy = capable.stream().filter(r -> hasContext(r.model(), req)).toList();
        if (all.isEmpty()) {
            why.append("no provider could list its models");
            brief = evaluations.stream().map(Evaluation::problem).filter(Objects::nonNull)
                    .collect(Collectors.joining("; "));
        } else if (served.isEmpty()) {
            brief = "no model '" + pinnedModel + "'";
            why.append("no provider serves model '").append(pinnedModel).append("' (").append(listing(all)).append(')');
        } else if (capable.isEmpty()) {
            Set<ModelCapability> missing = EnumSet.noneOf(ModelCapability.class);
            missing.addAll(req.capabilities());
            served.forEach(r -> missing.removeAll(r.model().capabilities()));
            brief = missing.isEmpty() ? "no single model has all of " + names(req.capabilities())
                    : "no model has " + names(missing);
            why.append(brief).append(" (").append(listing(served)).append(')')
                    .append(whereToDeclare(served, req.capabilities(), evaluations));
        } else if (roomy.isEmpty()) {
            Ref largest = capable.stream().max(Comparator.comparingInt(r -> r.model().contextWindow())).orElseThrow();
            brief = "no model" + (req.capabilities().isEmpty() ? "" : " with " + names(req.capabilities()))
                    + " has a context window of at least " + req.minContextWindow() + " tokens";
            why.append(brief).append(" (largest: ").append(largest.label()).append(" with ")
                    .append(largest.model().contextWindow()).append(')');
        } else {
            Map<String, Evaluation> blocked = new LinkedHashMap<>();
            for (Ref ref : roomy) {
                evaluations.stream().filter(e -> e.plugin().id().equals(ref.providerId())).findFirst()
                        .ifPresent(e -> blocked.put(e.plugin().id(), e));
            }
            why.append("every provider with a fitting model is unavailable: ").append(blocked.values().stream()
                    .map(e -> e.plugin().id() + " (" + e.unavailable() + ")").collect(Collectors.joining("; ")));
            brief = blocked.values().stream().map(Evaluation::unavailable).collect(Collectors.joining("; "));
            if (blocked.values().stream().allMatch(e -> e.circuitWait() != null)) {
                wait = blocked.values().stream().map(Evaluation::circuitWait).min(Comparator.naturalOrder()).orElseThrow();
            }
        }
        List<String> unlisted = evaluations.stream().filter(e -> e.problem() != null)
                .map(e -> e.plugin().id() + " (" + e.problem() + ")").toList();
        if (!unlisted.isEmpty()) {
            why.append("; left out: ").append(String.join(", ", unlisted));
        }
        if (!scripted.isEmpty()) {
            why.append("; scripted providers (").append(String.join(", ", scripted))
                    .append(") answer only when named as the provider").append(HOW_TO_NAME);
        }
        return new Selection(List.of(), why.toString(), wait, passedOver, brief);
    }

    /**
     * Where a provider's models say what they can do, for a model that can do more than it is known to: a local
     * server's model given only as {@code defaultModel} is known to stream, nothing else, so the first agent with tools
     * finds no model. Names the configuration of each provider the platform configures, with the line to put there.
     */
    private static String whereToDeclare(List<Ref> served, Set<ModelCapability> required, List<Evaluation> evaluations) {
        List<String> lines = new ArrayList<>();
        for (Evaluation evaluation : evaluations) {
            String pid = evaluation.plugin().properties().get(PluginProperties.PROVIDER_CONFIGURATION);
            Optional<Ref> first = served.stream().filter(r -> r.providerId().equals(evaluation.plugin().id())).findFirst();
            if (pid != null && !pid.isBlank() && first.isPresent() && lines.size() < DECLARATION_EXAMPLES) {
                Set<ModelCapability> declared = EnumSet.noneOf(ModelCapability.class);
                declared.addAll(required);
                declared.addAll(first.get().model().capabilities());
                lines.add("etc/" + pid + ".cfg.json: \"models\": [\"" + first.get().model().id() + ";"
                        + names(declared).replace(", ", ",") + "\"]");
            }
        }
        return lines.isEmpty() ? "" : "; if a model can do more, list it with what it can do in the models of its"
                + " provider's configuration, e.g. " + String.join("; ", lines)
                + " (a defaultModel that models leaves out is taken to stream only)";
    }

    static boolean fits(ModelInfo model, ModelRequirements req) {
        String pinnedModel = blankToNull(req.model());
        return (pinnedModel == null || model.id().equals(pinnedModel))
                && model.capabilities().containsAll(req.capabilities()) && hasContext(model, req);
    }

    /** A context window of 0 (or less) means unknown, which does not rule the model out. */
    private static boolean hasContext(ModelInfo model, ModelRequirements req) {
        return model.contextWindow() <= 0 || model.contextWindow() >= req.minContextWindow();
    }

    /**
     * Input plus output price per million tokens; null unless both are known. The cache prices do not count: a
     * prompt is read from a provider's cache only when an earlier call put it there, which the selection cannot know
     * (and a change of model loses that cache anyway), so models rank by what an uncached call costs; a cheap cache
     * read must not place a model above one whose uncached calls cost less. A price out of
     * {@link ConfigRanges#isPricePerMillionUsd}'s range (a third party's plugin; ours refuse it) is not known either:
     * adding 1E+999999999 to 1 would write out a billion digits.
     */
    static BigDecimal price(ModelInfo model) {
        BigDecimal input = model.inputPricePerMillion();
        BigDecimal output = model.outputPricePerMillion();
        return input == null || output == null || !ConfigRanges.isPricePerMillionUsd(input)
                || !ConfigRanges.isPricePerMillionUsd(output) ? null : input.add(output);
    }

    /**
     * Providers whose last call was refused after all others, then preference (unknown values last), then the
     * provider answering fewer calls now (so equal choices, such as two instances of one provider, share the load),
     * then provider id, then the provider's own model order.
     */
    static Comparator<Candidate> order(ModelRequirements.Preference preference) {
        Comparator<Candidate> byPreference = switch (preference) {
            case COST -> Comparator.comparing(Candidate::price, Comparator.nullsLast(Comparator.naturalOrder()));
            case QUALITY -> Comparator.comparing(Candidate::price, Comparator.nullsLast(Comparator.reverseOrder()));
            case SPEED -> Comparator.comparing(Candidate::medianLatency, Comparator.nullsLast(Comparator.naturalOrder()));
        };
        return Comparator.comparing(Candidate::refused).thenComparing(byPreference).thenComparingInt(Candidate::load)
                .thenComparing(Candidate::providerId).thenComparingInt(Candidate::modelIndex);
    }

    /** Why this candidate, e.g. {@code cheapest model with tools, vision: openai-main/gpt-4.1-mini at 0.40+1.60 USD/M}. */
    static String reason(Candidate chosen, ModelRequirements req) {
        if (chosen.unlistedDown() != null) {
            return "pinned provider " + chosen.providerId() + ", which lists no models and is " + chosen.unlistedDown()
                    + ": it is called itself, so that its own refusal says why";
        }
        StringBuilder reason = new StringBuilder();
        if (blankToNull(req.providerId()) != null) {
            reason.append("pinned provider ").append(req.providerId()).append(", ");
        }
        reason.append(switch (req.preference()) {
            case COST -> "cheapest model";
            case QUALITY -> "highest-priced (most capable) model";
            case SPEED -> "model of the fastest provider";
        });
        List<String> needs = new ArrayList<>();
        if (!req.capabilities().isEmpty()) {
            needs.add(names(req.capabilities()));
        }
        if (req.minContextWindow() > 0) {
            needs.add("a context window >= " + req.minContextWindow());
        }
        if (!needs.isEmpty()) {
            reason.append(" with ").append(String.join(" and ", needs));
        }
        reason.append(": ").append(chosen.label());
        if (req.preference() == ModelRequirements.Preference.SPEED) {
            LatencyTracker.Stat latency = chosen.latency();
            reason.append(latency == null ? " (no latency measured yet)"
                    : " (median " + latency.median().toMillis() + " ms over the last "
                            + (latency.calls() == 1 ? "call)" : latency.calls() + " calls)"));
        } else if (chosen.price() != null) {
            reason.append(" at ").append(money(chosen.model().inputPricePerMillion())).append('+')
                    .append(money(chosen.model().outputPricePerMillion())).append(" USD/M");
        } else {
            reason.append(" (no price known)");
        }
        return reason.toString();
    }

    private static String describe(ModelRequirements req) {
        List<String> parts = new ArrayList<>();
        if (!req.capabilities().isEmpty()) {
            parts.add(names(req.capabilities()));
        }
        if (req.minContextWindow() > 0) {
            parts.add("context >= " + req.minContextWindow());
        }
        if (blankToNull(req.model()) != null) {
            parts.add("model '" + req.model() + "'");
        }
        if (blankToNull(req.providerId()) != null) {
            parts.add("provider '" + req.providerId() + "'");
        }
        return parts.isEmpty() ? "any model" : String.join("; ", parts);
    }

    static String names(Set<ModelCapability> capabilities) {
        Set<ModelCapability> ordered = capabilities.isEmpty() ? EnumSet.noneOf(ModelCapability.class)
                : EnumSet.copyOf(capabilities);
        return ordered.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /**
     * Two decimals at least, more when the price has them: 0.40, 0.075; a price a provider lists far from 1 as
     * {@link Amounts#text} writes it (1E-1000), not written out to its last zero.
     */
    static String money(BigDecimal value) {
        String text = Amounts.text(value);
        if (text.contains("E")) {
            return text;
        }
        int point = text.indexOf('.');
        return point < 0 ? text + ".00" : point == text.length() - 2 ? text + "0" : text;
    }

    private static String listing(List<Ref> refs) {
        Map<String, List<String>> byProvider = new LinkedHashMap<>();
        refs.stream().limit(LISTED_MODELS)
                .forEach(r -> byProvider.computeIfAbsent(r.providerId(), id -> new ArrayList<>()).add(modelText(r.model())));
        String text = byProvider.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
        return refs.size() > LISTED_MODELS ? text + "; ..." : text;
    }

    private static String modelText(ModelInfo model) {
        return model.capabilities().isEmpty() ? model.id() : model.id() + " [" + names(model.capabilities()) + "]";
    }

    private static String ids(List<PluginInfo> plugins) {
        return plugins.stream().map(PluginInfo::id).collect(Collectors.joining(", "));
    }

    private static String seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000) + " s";
    }

    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
