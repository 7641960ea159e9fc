package io.mcpagent.core.internal.llm;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.ModelChoice;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.core.internal.ExecutionListeners;
import io.mcpagent.core.internal.llm.ModelSelector.Candidate;
import io.mcpagent.core.internal.llm.ModelSelector.PassedOver;
import io.mcpagent.core.internal.llm.ModelSelector.Selection;

/**
 * The platform's {@link LlmRouter}. Every call looks the providers up again on the whiteboard, chooses among their
 * models, and walks the fallback chain while failures are retryable; circuits, latencies and usage sums are kept
 * here by provider id, so they survive a provider bundle being replaced.
 */
@Component(service = {LlmRouter.class, ProblemReporter.class, ExecutionListener.class},
        configurationPid = DefaultLlmRouter.PID)
@Designate(ocd = RouterConfig.class)
public final class DefaultLlmRouter implements LlmRouter, ProblemReporter, ExecutionListener {
    static final String PID = "io.mcpagent.llm.router";
    /** Executions whose usage is kept; well above the executions in flight at once, which must not be forgotten. */
    static final int MAX_EXECUTIONS = 50_000;
    /** Provider models remembered as answering without usage: a bound for providers that make up model names. */
    private static final int MAX_WITHOUT_USAGE = 1_000;
    /** Provider code of the error a call gets when its provider left during the call. */
    static final String PROVIDER_GONE = "provider-gone";
    /** The model of a fallback from a pinned provider no longer registered, when the call named none. */
    static final String UNKNOWN_MODEL = "(unknown)";
    /** The provider of a fallback from a call naming none that the router had no choice of its own for. */
    static final String NO_OWN_CHOICE = "(none)";
    /** Why a provider called before is not there now. */
    private static final String NOT_REGISTERED =
            "it is not registered (its bundle stopped or its configuration was removed)";
    private static final int LATENCY_WINDOW = 20;
    /** Failures of the provider rather than of the request: another provider may well answer. An exhausted quota
     *  (billing, a daily cap) is not worth retrying at the same provider, but is worth falling back from. */
    private static final Set<Category> FALLBACK_CATEGORIES = EnumSet.of(Category.NETWORK, Category.TIMEOUT,
            Category.OVERLOADED, Category.RATE_LIMITED, Category.SERVER, Category.QUOTA_EXHAUSTED);
    /** Refusals of the caller's account that retrying will not mend, though another provider may well answer. */
    private static final Set<Category> REFUSAL_CATEGORIES = EnumSet.of(Category.AUTH, Category.PERMISSION,
            Category.QUOTA_EXHAUSTED);
    private static final Logger LOG = LoggerFactory.getLogger(DefaultLlmRouter.class);

    /**
     * The configuration, checked: a bad value is refused by its property name, never brought into range.
     * {@code retryWaitWithAlternative} is the longest wait before a retry in place a provider may take while another
     * provider is left for the call: a short backoff is still worth it, a 429's Retry-After of 30 s is not when another
     * provider can answer now.
     */
    record Settings(List<String> fallbackChain, int failureThreshold, Duration openFor, boolean excludeUnhealthy,
                    Duration retryWaitWithAlternative) {
        Settings {
            fallbackChain = List.copyOf(fallbackChain);
        }

        static Settings of(RouterConfig config) {
            String[] ids = config.fallbackChain() == null ? new String[0] : config.fallbackChain();
            List<String> chain = new ArrayList<>(ids.length);
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == null || ids[i].isBlank()) {
                    throw new IllegalArgumentException("fallbackChain[" + i + "] must be a provider id, was blank");
                }
                chain.add(ids[i].strip());
            }
            ConfigRanges.atLeast("failureThreshold", config.failureThreshold(), 1);
            ConfigRanges.within("openSeconds", config.openSeconds(), 0, RouterConfig.MAX_OPEN_SECONDS);
            ConfigRanges.within("retryWaitWithAlternativeMs", config.retryWaitWithAlternativeMs(), 0,
                    RouterConfig.MAX_RETRY_WAIT_WITH_ALTERNATIVE_MS);
            return new Settings(chain, config.failureThreshold(), Duration.ofSeconds(config.openSeconds()),
                    config.excludeUnhealthy(), Duration.ofMillis(config.retryWaitWithAlternativeMs()));
        }
    }

    private final PluginManager plugins;
    private final Clock clock;
    /** A refusal of one registration of a provider, which counts while that registration is the one registered. */
    private record Refusal(long serviceId, ProviderRefusal refusal) {
    }

    private final Map<String, Circuit> circuits = new ConcurrentHashMap<>();
    /**
     * The providers a call naming none went to first, by the router's own choice: one of them that left since is
     * named as the reason when such a call goes along the fallback chain for want of a choice of its own.
     */
    private final Set<String> ownChoices = ConcurrentHashMap.newKeySet();
    /** Providers ranked last because their last call was refused, by provider id. */
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
    private final LatencyTracker latencies = new LatencyTracker(LATENCY_WINDOW);
    /** Calls each provider is answering now. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final UsageLedger ledger = new UsageLedger(MAX_EXECUTIONS);
    /** The providers' models whose answer without usage was logged ({@link #noteMissingUsage}). */
    private final Set<String> withoutUsage = ConcurrentHashMap.newKeySet();
    /**
     * A target filter for references to execution listeners that must not bind the router: it is a listener itself
     * and needs the plugin whiteboard, so the whiteboard and the router binding it would be reference cycles.
     */
    public static final String NOT_THE_ROUTER = "(!(objectClass=io.mcpagent.api.llm.LlmRouter))";
    private final ExecutionListeners listeners = new ExecutionListeners();
    /** Masks configured secrets too; absent, the texts are masked by pattern alone. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecretMasker masker;
    private final GuardedConfiguration<RouterConfig, Settings> configuration =
            new GuardedConfiguration<>(PID, RouterConfig.class, Settings::of, LOG::error, LOG::info);

    @Activate
    public DefaultLlmRouter(@Reference PluginManager plugins, RouterConfig config) {
        this(plugins, config, Clock.systemUTC());
    }

    DefaultLlmRouter(PluginManager plugins, RouterConfig config, Clock clock) {
        this.plugins = plugins;
        this.clock = clock;
        configuration.update(config);
    }

    /** Applies a changed configuration without losing circuits and usage sums; a refused one changes nothing. */
    @Modified
    void modified(RouterConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    /** Listeners of the router's own events: every one but the router itself (it listens for executions' starts). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, target = NOT_THE_ROUTER)
    void addListener(ExecutionListener listener, Map<String, Object> properties) {
        listeners.add(listener, properties);
    }

    /** Without the listener, which DS would ask for again: see {@link ExecutionListeners#remove}. */
    void removeListener(Map<String, Object> properties) {
        listeners.remove(properties);
    }

    // ---- LlmRouter --------------------------------------------------------------------------------------------------

    @Override
    public ModelChoice select(ModelRequirements requirements) {
        ModelRequirements req = requirements == null ? ModelRequirements.ANY : requirements;
        Settings config = configuration.settings();
        Selection selection = selector(config).select(req);
        if (!selection.ranked().isEmpty()) {
            Candidate best = selection.ranked().get(0);
            return new ModelChoice(best.providerId(), best.model().id(), ModelSelector.reason(best, req));
        }
        List<String> chain = !req.fallbackChain().isEmpty() ? req.fallbackChain() : config.fallbackChain();
        // each provider of the chain that does not fit either, and why, when a call would go along it
        List<String> unfit = new ArrayList<>();
        if (selection.circuitWait() != null && selection.passedOver() != null) {
            // open circuits are all that stand in the way (of a pinned provider, say): a call would go along the
            // chain, as route does, so the choice is the chain's provider that would answer it
            Candidate skipped = selection.passedOver().candidate();
            ModelChoice next = alongChain(req, chain, Set.of(skipped.providerId()), config,
                    skipped.label() + " is left out (" + selection.passedOver().reason() + ")", unfit);
            if (next != null) {
                return next;
            }
        }
        String pinned = ModelSelector.blankToNull(req.providerId());
        if (pinned != null && !chain.isEmpty() && leftSinceCalled(pinned)) {
            // gone since its last call: a call would go along the chain, as route sends it
            ModelChoice next = alongChain(req, chain, Set.of(pinned), config,
                    "the pinned provider " + pinned + " is not registered (it left since its last call)", unfit);
            if (next != null) {
                return next;
            }
        }
        if (pinned == null && !chain.isEmpty()) {
            // no choice of its own (its provider left, say): a call would go along the chain, as route sends it
            ModelChoice next = alongChain(req, chain, Set.of(), config, noOwnChoice(selection).why(), unfit);
            if (next != null) {
                return next;
            }
        }
        // with the wait when open circuits are all in the way, which half-open by themselves: a plan says when to try
        throw new ProviderException(new ProviderError(Category.NOT_FOUND, 0, null, null,
                alongChainToo(selection.problem(), unfit), null, selection.circuitWait(), false, null));
    }

    @Override
    public ChatResponse chat(ChatRequest request, ModelRequirements requirements, String executionId) {
        return route(request, requirements, executionId, null).response();
    }

    @Override
    public ChatResponse stream(ChatRequest request, ModelRequirements requirements, String executionId,
                               StreamHandler handler) {
        return route(request, requirements, executionId, Objects.requireNonNull(handler, "handler")).response();
    }

    @Override
    public UsageSummary usage(String executionId) {
        return ledger.execution(executionId);
    }

    @Override
    public List<LlmFallbackEvent> fallbacks(String executionId) {
        return ledger.fallbacks(executionId);
    }

    @Override
    public boolean requestTooLong(String executionId) {
        return ledger.wasRequestTooLong(executionId);
    }

    @Override
    public Map<String, UsageSummary> usageByProvider() {
        return ledger.providers();
    }

    @Override
    public Map<String, UsageSummary> usageByProvider(String tenant) {
        return ledger.providers(Objects.requireNonNull(tenant, "tenant"));
    }

    /**
     * Learns each execution's tenant from its start (the engine publishes it for every execution, nested ones
     * included), so that the usage of its calls counts for that tenant.
     */
    @Override
    public void onEvent(ExecutionEvent event) {
        if (event instanceof ExecutionStatusEvent status && ExecutionStatusEvent.STARTED.equals(status.type())) {
            ledger.attribute(status.executionId(),
                    status.tenant() == null || status.tenant().isBlank() ? Principal.DEFAULT_TENANT : status.tenant());
        }
    }

    @Override
    public Map<String, String> circuits() {
        Instant now = clock.instant();
        Map<String, String> states = new TreeMap<>();
        circuits.forEach((id, circuit) -> states.put(id, circuit.state(now))); // of providers gone too
        for (PluginInfo provider : plugins.list(PluginKind.PROVIDER)) {
            Circuit circuit = circuits.get(provider.id());
            states.put(provider.id(), circuit != null && circuit.serviceId() == provider.serviceId()
                    ? circuit.state(now) : Circuit.CLOSED);
        }
        return Collections.unmodifiableMap(states);
    }

    @Override
    public Map<String, ProviderRefusal> rankedLast() {
        Map<String, ProviderRefusal> refused = new TreeMap<>();
        for (PluginInfo provider : plugins.list(PluginKind.PROVIDER)) {
            refusal(provider).ifPresent(refusal -> refused.put(provider.id(), refusal));
        }
        return Collections.unmodifiableMap(refused);
    }

    /** The refusal of this registration's last call, if it was refused; a registration anew may well have mended it. */
    private Optional<ProviderRefusal> refusal(PluginInfo provider) {
        Refusal refusal = refusals.get(provider.id());
        return refusal != null && refusal.serviceId() == provider.serviceId() ? Optional.of(refusal.refusal())
                : Optional.empty();
    }

    /** Keeps when the registration was first refused, with the latest reason; the message may quote the key. */
    private void refused(Candidate candidate, ProviderError error, Instant at) {
        ProviderRefusal latest = new ProviderRefusal(at, error.category(),
                SecretMasker.orPatterns(masker).mask(error.message()));
        refusals.merge(candidate.providerId(), new Refusal(candidate.serviceId(), latest),
                (earlier, now) -> earlier.serviceId() != now.serviceId() ? now : new Refusal(now.serviceId(),
                        new ProviderRefusal(earlier.refusal().since(), latest.category(), latest.message())));
    }

    // ---- routing ----------------------------------------------------------------------------------------------------

    /**
     * The result of one provider attempt: an answer, or an error after which the next provider may be tried, with how
     * long the failed call took and, when the provider was not called for its open circuit, that circuit.
     * {@code billed}, {@code billedCost}: what a failed attempt billed, which the call's answer (or failure) adds to its
     * own; {@code fatal}: the call fails with this attempt's error, no other provider is tried.
     */
    private record Attempt(RoutedResponse answer, ProviderException fallbackError, Duration took, Circuit skipped,
                           Usage billed, BigDecimal billedCost, boolean fatal) {
        static Attempt answered(RoutedResponse answer) {
            return new Attempt(answer, null, null, null, Usage.NONE, BigDecimal.ZERO, false);
        }

        static Attempt failed(ProviderException error, Duration took) {
            return failed(error, took, Usage.NONE, BigDecimal.ZERO);
        }

        static Attempt failed(ProviderException error, Duration took, Usage billed, BigDecimal billedCost) {
            return new Attempt(null, error, took, null, billed, billedCost, false);
        }

        static Attempt fatal(ProviderException error, Duration took, Usage billed, BigDecimal billedCost) {
            return new Attempt(null, error, took, null, billed, billedCost, true);
        }
    }

    /**
     * Whose usage a call counts in: its execution's (and through it its tenant's), or, outside executions, the tenant's
     * that made it; both null for a call outside executions made for no tenant.
     */
    private record CallFor(String executionId, String tenant) {
    }

    @Override
    public RoutedResponse route(ChatRequest request, ModelRequirements requirements, String executionId,
                                StreamHandler handler) {
        return route(request, requirements, new CallFor(executionId, null), handler);
    }

    @Override
    public RoutedResponse routeForTenant(ChatRequest request, ModelRequirements requirements, String tenant,
                                         StreamHandler handler) {
        return route(request, requirements, new CallFor(null, Objects.requireNonNull(tenant, "tenant")), handler);
    }

    private RoutedResponse route(ChatRequest request, ModelRequirements requirements, CallFor callFor,
                                 StreamHandler handler) {
        Objects.requireNonNull(request, "request");
        String executionId = callFor.executionId();
        ModelRequirements req = requirements == null ? ModelRequirements.ANY : requirements;
        Settings config = configuration.settings();
        if (Thread.currentThread().isInterrupted()) {
            throw new ProviderException(ProviderError.of(Category.CANCELLED, "the LLM call was cancelled before it started"));
        }
        Selection first = selector(config).select(req);
        List<String> chain = !req.fallbackChain().isEmpty() ? req.fallbackChain() : config.fallbackChain();
        ListIterator<String> chainIds = chain.listIterator();
        ListIterator<Candidate> ranked = first.ranked().listIterator();
        Set<String> tried = new HashSet<>();
        List<String> failures = new ArrayList<>();
        ProviderException last = null;
        int attempt = 0;
        String pinned = ModelSelector.blankToNull(req.providerId());
        // each provider of the chain that did not fit when there was no first choice to call, and why
        List<String> unfit = new ArrayList<>();
        Candidate next;
        // why the call goes along the chain though it had no first choice to fail: its pinned provider left, or no
        // provider the router chooses by itself fits
        NoFirstChoice instead = null;
        if (!first.ranked().isEmpty()) {
            next = ranked.next();
            if (pinned == null) {
                ownChoices.add(next.providerId());
            }
        } else if (first.circuitWait() != null && first.passedOver() != null) {
            // open circuits are all that stand in the way (of a pinned provider, say): its chain may still answer
            Candidate skipped = first.passedOver().candidate();
            tried.add(skipped.providerId());
            failures.add(skipped.label() + ": skipped, " + first.passedOver().reason());
            next = nextInChain(req, chainIds, tried, failures, unfit, config);
        } else if (pinned != null && !chain.isEmpty() && leftSinceCalled(pinned)) {
            // gone since its last call (its bundle stopped between two calls of an execution): its chain may answer,
            // as for a call under way when it left
            instead = new NoFirstChoice(pinned, req.model() == null ? UNKNOWN_MODEL : req.model(), Category.SERVER,
                    gone(pinned, NOT_REGISTERED, null).error().message());
            tried.add(pinned);
            failures.add(pinned + ": skipped, " + instead.why());
            next = nextInChain(req, chainIds, tried, failures, unfit, config);
        } else if (pinned == null && !chain.isEmpty()) {
            // nothing the router would choose by itself fits (the provider it chose left, say): the chain, there to
            // take the calls a first choice cannot, takes them as it would after a first choice that failed
            instead = noOwnChoice(first);
            failures.add(instead.why());
            next = nextInChain(req, chainIds, tried, failures, unfit, config);
        } else {
            next = null;
        }
        if (next == null) {
            throw unavailable(first, unfit);
        }
        if (first.passedOver() != null) {
            passedOver(first.passedOver(), next, executionId, pinned);
        }
        if (instead != null) {
            fellBack(new LlmFallbackEvent(clock.instant(), executionId, instead.providerId(), instead.model(),
                    instead.category(), instead.why(), next.providerId(), next.model().id(), pinned));
        }
        // the largest context window a request was too long for: from then on only a larger one is worth a call
        int tooLongFor = 0;
        Set<String> triedModels = new HashSet<>();
        String firstProvider = next.providerId();
        // what the failed attempts billed, which the answer's billed usage and cost include
        Usage failedUsage = Usage.NONE;
        BigDecimal failedCost = BigDecimal.ZERO;
        while (next != null) {
            Candidate failed = next;
            tried.add(failed.providerId());
            triedModels.add(failed.label());
            // with another provider left, a long wait before a retry in place is better spent there
            ChatRequest sent = alternativeLeft(req, chain, chainIds.nextIndex(), first.ranked(), ranked.nextIndex(),
                    tried, tooLongFor, config) ? request.withMaxRetryWait(shorter(request.maxRetryWait(),
                    config.retryWaitWithAlternative())) : request;
            Attempt outcome = attempt(failed, sent, callFor, ++attempt, handler, config, pinned != null);
            if (outcome.answer() != null) {
                RoutedResponse answer = outcome.answer();
                return new RoutedResponse(answer.response(), answer.providerId(), answer.model(), answer.cost(),
                        answer.attempts(), failedUsage.plus(answer.response().usage()),
                        failedCost.add(answer.cost()));
            }
            failedUsage = failedUsage.plus(outcome.billed());
            failedCost = failedCost.add(outcome.billedCost());
            last = outcome.fallbackError();
            failures.add(failed.label() + ": " + last.getMessage());
            if (outcome.fatal()) {
                // after others failed, theirs are part of why the call failed too (it read as this one's alone)
                throw billed(last, everyFailed(last, failures), failedUsage, failedCost);
            }
            if (last.error().category() == Category.CONTEXT_LENGTH) {
                // the same request to this model or a smaller one cannot succeed; a model of a larger context may
                tooLongFor = failed.model().contextWindow() > 0 ? failed.model().contextWindow() : Integer.MAX_VALUE;
                next = larger(first.ranked(), chain, firstProvider, tooLongFor, triedModels, req, config);
                if (next == null) {
                    ledger.requestTooLong(executionId);
                    throw billed(last, tooLong(failed, last, failures), failedUsage, failedCost);
                }
            } else {
                int window = tooLongFor;
                next = chain.isEmpty() ? nextRanked(ranked, tried, window)
                        : nextInChain(req, chainIds, tried, failures, new ArrayList<>(), config, window);
            }
            if (next != null) {
                LlmFallbackEvent fallback = new LlmFallbackEvent(clock.instant(), executionId, failed.providerId(),
                        failed.model().id(), last.error().category(), last.error().message(), next.providerId(),
                        next.model().id(), pinned, outcome.took());
                if (outcome.skipped() != null) {
                    skipped(fallback, outcome.skipped());
                } else {
                    fellBack(fallback);
                }
            }
        }
        throw billed(last, everyFailed(last, failures), failedUsage, failedCost);
    }

    /**
     * The error of a call whose last attempt failed with {@code last}: its own when it was the one provider tried and
     * nothing was skipped, which says it all; else "every provider tried failed: " and each failure, in the category
     * of the last.
     */
    private static ProviderError everyFailed(ProviderException last, List<String> failures) {
        ProviderError error = last.error();
        return failures.size() == 1 ? error : new ProviderError(error.category(), error.httpStatus(),
                error.providerType(), error.providerCode(), "every provider tried failed: " + String.join("; ",
                failures), error.requestId(), error.retryAfter(), error.retryable(), error.rawBody());
    }

    /**
     * The call's failure, carrying what the whole call billed and its cost (as the ledger counted them), so that its
     * caller counts them too; the error of the attempt that ended it is the cause, its own cause kept below it.
     */
    private static ProviderException billed(ProviderException last, ProviderError error, Usage usage,
                                            BigDecimal cost) {
        return new ProviderException(error, last, usage, cost);
    }

    /**
     * Said in the log and to the listeners, so the execution's trace names what failed and what answers instead, and
     * kept with the execution's usage, so its result can warn of it.
     */
    private void fellBack(LlmFallbackEvent fallback) {
        LOG.info("{}", SecretMasker.orPatterns(masker).mask(fallback.describe()));
        ledger.fellBack(fallback);
        listeners.publish(fallback);
    }

    /**
     * A provider left out for its open circuit, said as a fallback from it, but once per opening of the circuit: in the
     * log once whatever the calls, to each execution once (a call outside executions keeps nothing, so it is said to the
     * listeners each time), since under load every call skips it and would add the same line and step. Its opening
     * was logged when it opened, and its closing is logged when a trial call closes it.
     */
    private void skipped(LlmFallbackEvent fallback, Circuit circuit) {
        long opening = circuit.openings();
        if (circuit.firstSkipLogged()) {
            LOG.info("{}; further calls skip it without a word until its circuit closes",
                    SecretMasker.orPatterns(masker).mask(fallback.describe()));
        }
        if (fallback.executionId() == null || ledger.firstSkip(fallback.executionId(), fallback.providerId(), opening)) {
            ledger.fellBack(fallback);
            listeners.publish(fallback);
        }
    }

    /**
     * Whether the call could go elsewhere should the provider it is at fail: a ranked candidate of another provider
     * not tried yet, or, with a chain, a provider of the chain's rest that fits now, of a context window larger than
     * {@code tooLongFor} once a request was too long for one (as {@link #nextRanked} and {@link #nextInChain} would
     * find it, without taking it): a model no larger would refuse the request the same way.
     */
    private boolean alternativeLeft(ModelRequirements req, List<String> chain, int chainFrom, List<Candidate> ranked,
                                    int rankedFrom, Set<String> tried, int tooLongFor, Settings config) {
        if (chain.isEmpty()) {
            return ranked.subList(rankedFrom, ranked.size()).stream()
                    .anyMatch(candidate -> !tried.contains(candidate.providerId()) && larger(candidate, tooLongFor));
        }
        return chain.subList(chainFrom, chain.size()).stream().distinct().filter(id -> !tried.contains(id))
                .anyMatch(id -> selector(config).selectChained(req, id).ranked().stream()
                        .anyMatch(candidate -> larger(candidate, tooLongFor)));
    }

    /** The caller's own longest retry wait, if it accepts less than the configured one with an alternative left. */
    private static Duration shorter(Duration callersWait, Duration withAlternative) {
        return callersWait != null && callersWait.compareTo(withAlternative) < 0 ? callersWait : withAlternative;
    }

    /**
     * The first choice was left out for its circuit: said as a fallback from it, as when a chain's provider is found
     * open, so that the execution's steps and result say the call went elsewhere and why.
     */
    private void passedOver(PassedOver over, Candidate chosen, String executionId, String pinned) {
        Candidate skipped = over.candidate();
        skipped(new LlmFallbackEvent(clock.instant(), executionId, skipped.providerId(), skipped.model().id(),
                Category.OVERLOADED, over.reason() + "; not called", chosen.providerId(), chosen.model().id(), pinned),
                circuitOf(skipped.providerId(), skipped.serviceId()));
    }

    /** The next ranked candidate of a provider not tried yet whose context is larger than {@code tooLongFor}. */
    private static Candidate nextRanked(ListIterator<Candidate> ranked, Set<String> tried, int tooLongFor) {
        while (ranked.hasNext()) {
            Candidate candidate = ranked.next();
            if (!tried.contains(candidate.providerId()) && larger(candidate, tooLongFor)) {
                return candidate;
            }
        }
        return null;
    }

    /** Whether the candidate's context window is known to be larger; any is, while no request was too long. */
    private static boolean larger(Candidate candidate, int tooLongFor) {
        return tooLongFor == 0 || candidate.model().contextWindow() > tooLongFor;
    }

    /**
     * The best candidate not tried yet whose context window is larger than the one a request was too long for,
     * another model of the provider that failed included: without a chain the ranked ones; with one, the first
     * choice's provider's then the chain's providers' in order (a chain is where a call may go, a larger context or
     * not).
     */
    private Candidate larger(List<Candidate> ranked, List<String> chain, String firstProvider, int tooLongFor,
                             Set<String> triedModels, ModelRequirements req, Settings config) {
        List<Candidate> candidates = new ArrayList<>();
        if (chain.isEmpty()) {
            candidates.addAll(ranked);
        } else {
            ranked.stream().filter(candidate -> candidate.providerId().equals(firstProvider)).forEach(candidates::add);
            for (String id : new LinkedHashSet<>(chain)) {
                candidates.addAll(selector(config).selectChained(req, id).ranked());
            }
        }
        return candidates.stream().filter(candidate -> larger(candidate, tooLongFor)
                && !triedModels.contains(candidate.label())).findFirst().orElse(null);
    }

    /**
     * The request is too long for the model that said so, and for every model tried before whose context is smaller,
     * and no model of a larger context is left: the same request cannot succeed, so it fails at once, not retryable.
     */
    private static ProviderError tooLong(Candidate failed, ProviderException last, List<String> failures) {
        int window = failed.model().contextWindow();
        ProviderError error = last.error();
        String message = "the request is too long for " + failed.label() + (window > 0 ? " (a context window of "
                + window + " tokens), and no fitting model with a larger one is configured"
                : " (its context window is not configured, so no model is known to take more)")
                + (failures.size() == 1 ? ": " + error.message() : "; every provider tried failed: "
                + String.join("; ", failures));
        return new ProviderError(Category.CONTEXT_LENGTH, error.httpStatus(), error.providerType(),
                error.providerCode(), message, error.requestId(), null, false, error.rawBody());
    }

    /**
     * The next provider of the chain that fits now; naming a provider in a chain counts as pinning it. Each one passed
     * over is added to {@code failures} with the selection's whole explanation, and to {@code unfit} as
     * {@code id (why, in one short clause)}.
     */
    private Candidate nextInChain(ModelRequirements req, ListIterator<String> chainIds, Set<String> tried,
                                  List<String> failures, List<String> unfit, Settings config) {
        return nextInChain(req, chainIds, tried, failures, unfit, config, 0);
    }

    /** As above, of a context window larger than {@code tooLongFor} once a request was too long for one. */
    private Candidate nextInChain(ModelRequirements req, ListIterator<String> chainIds, Set<String> tried,
                                  List<String> failures, List<String> unfit, Settings config, int tooLongFor) {
        while (chainIds.hasNext()) {
            String id = chainIds.next();
            if (!tried.add(id)) {
                continue;
            }
            Selection selection = selector(config).selectChained(req, id);
            Optional<Candidate> fitting = selection.ranked().stream()
                    .filter(candidate -> larger(candidate, tooLongFor)).findFirst();
            if (fitting.isPresent()) {
                return fitting.get();
            }
            String larger = "no model with a context window larger than " + tooLongFor;
            failures.add(id + ": skipped, " + (selection.ranked().isEmpty() ? selection.problem() : larger));
            unfit.add(id + " (" + (selection.ranked().isEmpty() ? selection.brief() : larger) + ")");
        }
        return null;
    }

    /**
     * The circuit of this registration of provider {@code id}: one registered anew (its configuration changed, its
     * bundle restarted) starts closed, as its refusals start afresh; before, a provider whose file was mended stayed
     * behind the circuit its old settings had opened.
     */
    private Circuit circuitOf(String id, long serviceId) {
        return circuits.compute(id, (key, circuit) -> circuit != null && circuit.serviceId() == serviceId ? circuit
                : new Circuit(serviceId));
    }

    /** {@code pinned}: the caller named the provider, so a refusal is its answer rather than a reason to go elsewhere. */
    private Attempt attempt(Candidate candidate, ChatRequest request, CallFor callFor, int attempt,
                            StreamHandler handler, Settings config, boolean pinned) {
        String id = candidate.providerId();
        Circuit circuit = circuitOf(id, candidate.serviceId());
        if (!circuit.tryAcquire(clock.instant())) {
            Duration wait = circuit.remaining(clock.instant());
            return new Attempt(null, new ProviderException(new ProviderError(Category.OVERLOADED, 0, null, null,
                    "circuit of provider '" + id + "' is open; not called", null, wait.isZero() ? null : wait, true,
                    null)), Duration.ZERO, circuit, Usage.NONE, BigDecimal.ZERO, false);
        }
        Optional<LlmProvider> provider = plugins.service(id, LlmProvider.class);
        if (provider.isEmpty()) {
            circuit.released();
            return Attempt.failed(gone(id, "it left before it was called", null), Duration.ZERO);
        }
        ChatRequest routed = candidate.keepsRequestedModel() ? request : withModel(request, candidate.model().id());
        GuardedHandler guard = handler == null ? null : new GuardedHandler(handler);
        Instant start = clock.instant();
        AtomicInteger calls = inFlight.computeIfAbsent(id, key -> new AtomicInteger());
        calls.incrementAndGet();
        try {
            ChatResponse response = guard == null ? provider.get().chat(routed) : provider.get().stream(routed, guard);
            Objects.requireNonNull(response, "the provider returned no response");
            if (guard != null) {
                guard.releaseHeld();
            }
            Instant end = clock.instant();
            Duration took = Duration.between(start, end);
            closedOn(circuit.succeeded(), id);
            refusals.remove(id);
            latencies.record(id, took);
            Usage usage = counted(id, response.usage());
            noteMissingUsage(id, candidate.model().id(), usage);
            if (response.model() == null || usage != response.usage()) {
                response = new ChatResponse(response.id(), response.model() == null ? candidate.model().id()
                        : response.model(), response.message(), response.stopReason(), response.rawStopReason(), usage,
                        response.rateLimits(), response.requestId(), response.rawJson());
            }
            BigDecimal cost = record(callFor, candidate, attempt, guard != null, usage, end, took, null);
            return Attempt.answered(new RoutedResponse(response, id, response.model(), cost, attempt));
        } catch (RuntimeException | Error e) { // an Error (a StackOverflowError) falls back and frees a circuit trial
            Instant end = clock.instant();
            Duration took = Duration.between(start, end);
            Usage billed = counted(id, billed(e, guard));
            boolean cancelled = Thread.currentThread().isInterrupted()
                    || e instanceof ProviderException pe && pe.error().category() == Category.CANCELLED;
            ProviderException failure;
            boolean fallBack;
            if (cancelled) {
                circuit.released();
                failure = e instanceof ProviderException pe && pe.error().category() == Category.CANCELLED ? pe
                        : new ProviderException(ProviderError.of(Category.CANCELLED, "the call to " + candidate.label()
                                + " was cancelled (the calling thread was interrupted)"), e);
                fallBack = false;
            } else if (isGone(candidate)) {
                // The bundle or configuration behind the provider went away; says nothing about the provider id's health.
                circuit.released();
                failure = gone(id, "it went away during the call (its configuration was edited or deleted, or its"
                        + " bundle stopped)", e);
                fallBack = true;
            } else if (e instanceof ProviderException pe) {
                failure = pe;
                boolean refused = REFUSAL_CATEGORIES.contains(pe.error().category());
                if (refused) {
                    refused(candidate, pe.error(), end);
                }
                boolean unavailable = shouldFallBack(pe.error());
                // route tries a model of a larger context only, and fails at once when there is none
                boolean tooLong = pe.error().category() == Category.CONTEXT_LENGTH;
                fallBack = unavailable || refused && !pinned || tooLong;
                if (unavailable) {
                    failed(circuit, id, config);
                } else {
                    // it answered: reachable, the request or the account is what failed
                    closedOn(circuit.succeeded(), id);
                }
            } else {
                LOG.warn("LLM provider '{}' failed with an unexpected exception; counted as a server error", id, e);
                failure = new ProviderException(new ProviderError(Category.SERVER, 0, null, null,
                        "provider '" + id + "' failed unexpectedly: " + e, null, null, true, null), e);
                fallBack = true;
                failed(circuit, id, config);
            }
            BigDecimal billedCost = record(callFor, candidate, attempt, guard != null, billed, end, took, failure);
            if (fallBack && (guard == null || !guard.delivered())) {
                return Attempt.failed(failure, took, billed, billedCost);
            }
            if (guard != null) {
                guard.releaseHeld();
            }
            return Attempt.fatal(failure, took, billed, billedCost);
        } finally {
            calls.decrementAndGet();
        }
    }

    /**
     * What the provider bills for a failed call: the usage its stream reported last, else the usage its answer
     * reported ({@link ProviderException#billed()}: a generation whose answer could not be used costs as much).
     */
    private static Usage billed(Throwable failure, GuardedHandler guard) {
        if (guard != null && !Usage.NONE.equals(guard.usage())) {
            return guard.usage();
        }
        return failure instanceof ProviderException pe ? pe.billed() : Usage.NONE;
    }

    private int inFlight(String providerId) {
        AtomicInteger calls = inFlight.get(providerId);
        return calls == null ? 0 : calls.get();
    }

    /** Says that an answer (of its trial call, mostly) closed the circuit, whose opening was said too. */
    private static void closedOn(boolean closed, String id) {
        if (closed) {
            LOG.info("circuit of LLM provider '{}' closed: a call to it was answered; calls go to it again", id);
        }
    }

    private void failed(Circuit circuit, String id, Settings config) {
        boolean wasOpen = Circuit.OPEN.equals(circuit.state(clock.instant()));
        circuit.failed(clock.instant(), config.failureThreshold(), config.openFor());
        if (!wasOpen && Circuit.OPEN.equals(circuit.state(clock.instant()))) {
            LOG.warn("circuit of LLM provider '{}' opened after {} consecutive retryable failures; no calls for {} s",
                    id, circuit.failures(), config.openFor().toSeconds());
        }
    }

    static boolean shouldFallBack(ProviderError error) {
        return error.category() != Category.CANCELLED
                && (error.retryable() || FALLBACK_CATEGORIES.contains(error.category()));
    }

    /**
     * The chain's provider a call would go to, {@code skipped} left out, saying {@code why}; null when none, and then
     * {@code unfit} holds each provider of the chain and why it does not fit.
     */
    private ModelChoice alongChain(ModelRequirements req, List<String> chain, Set<String> skipped, Settings config,
                                   String why, List<String> unfit) {
        unfit.clear();
        Candidate next = nextInChain(req, chain.listIterator(), new HashSet<>(skipped), new ArrayList<>(), unfit,
                config);
        return next == null ? null : new ModelChoice(next.providerId(), next.model().id(),
                ModelSelector.reason(next, req) + "; along the fallback chain, as " + why);
    }

    /**
     * The provider was called (or skipped for its circuit) before and is not registered now: it left, as a provider
     * bundle stopped between two calls of an execution does. An id never called, a typo say, did not.
     */
    private boolean leftSinceCalled(String id) {
        return circuits.containsKey(id) && plugins.get(id).isEmpty();
    }

    /**
     * A call that goes along the fallback chain with no first choice to fail, said as a fallback from
     * {@code providerId}/{@code model} for {@code category}: {@code why}.
     */
    private record NoFirstChoice(String providerId, String model, Category category, String why) {
    }

    /**
     * Why a call naming no provider has no choice of the router's own: the selection's problem, after the providers
     * the router chose by itself before that left since (the first of them is the fallback's provider, else
     * {@link #NO_OWN_CHOICE}); NOT_FOUND, as the call would fail without the chain.
     */
    private NoFirstChoice noOwnChoice(Selection selection) {
        List<String> gone = ownChoices.stream().filter(id -> plugins.get(id).isEmpty()).sorted().toList();
        if (gone.isEmpty()) {
            return new NoFirstChoice(NO_OWN_CHOICE, UNKNOWN_MODEL, Category.NOT_FOUND,
                    "no provider the router chooses by itself fits: " + selection.problem());
        }
        String named = gone.size() == 1 ? "LLM provider '" + gone.getFirst() + "' is gone: " + NOT_REGISTERED
                : "LLM providers '" + String.join("', '", gone) + "' are gone: they are not registered (their bundles"
                        + " stopped or their configurations were removed)";
        return new NoFirstChoice(gone.getFirst(), UNKNOWN_MODEL, Category.NOT_FOUND,
                named + ", and no other provider the router chooses by itself fits: " + selection.problem());
    }

    /** The provider is gone when its id is no longer registered, or registered by another service now. */
    private boolean isGone(Candidate candidate) {
        return plugins.get(candidate.providerId()).map(PluginInfo::serviceId)
                .filter(serviceId -> serviceId == candidate.serviceId()).isEmpty();
    }

    private static ProviderException gone(String id, String what, Throwable cause) {
        return new ProviderException(new ProviderError(Category.SERVER, 0, null, PROVIDER_GONE,
                "LLM provider '" + id + "' is gone: " + what + (cause == null ? "" : " (" + said(cause) + ")"),
                null, null, true, null), cause);
    }

    /**
     * What a failure said, for a message: a provider's error as it reads; any other exception by its message, or its
     * simple name without one. The class names ({@code io.mcpagent.api.llm.ProviderException: NETWORK: ...}) said
     * nothing to an operator.
     */
    private static String said(Throwable failure) {
        if (failure instanceof ProviderException provider) {
            return provider.error().message();
        }
        return failure.getMessage() == null || failure.getMessage().isBlank() ? failure.getClass().getSimpleName()
                : failure.getMessage();
    }

    /**
     * Nothing fits: NOT_FOUND, unless open circuits are all that stand in the way, which passes (OVERLOADED); after
     * the selection's problem, each provider of the fallback chain that did not fit either ({@code unfit}).
     */
    private static ProviderException unavailable(Selection selection, List<String> unfit) {
        String problem = alongChainToo(selection.problem(), unfit);
        if (selection.circuitWait() != null) {
            return new ProviderException(new ProviderError(Category.OVERLOADED, 0, null, null, problem,
                    null, selection.circuitWait(), true, null));
        }
        return new ProviderException(ProviderError.of(Category.NOT_FOUND, problem));
    }

    /**
     * {@code problem}, then each provider of the fallback chain a call would have gone to and why it did not fit
     * (one short clause each), so that the operator sees the whole chain, not only the first choice's reason.
     */
    private static String alongChainToo(String problem, List<String> unfit) {
        return unfit.isEmpty() ? problem : problem + "; along the fallback chain none fits either: "
                + String.join(", ", unfit);
    }

    private ModelSelector selector(Settings config) {
        return new ModelSelector(plugins, config.excludeUnhealthy(), circuits, provider -> refusal(provider).isPresent(), latencies, this::inFlight,
                clock.instant());
    }

    static ChatRequest withModel(ChatRequest request, String model) {
        return new ChatRequest(model, request.instructions(), request.messages(), request.tools(),
                request.toolChoice(), request.parallelToolCalls(), request.responseFormat(), request.params(),
                request.reasoning(), request.providerExtras(), request.maxRetryWait());
    }

    /**
     * Warns, once per provider and model, of an answer that reported no token usage (an adapter reads none when the
     * provider sends none: Bedrock's stream without its metadata frame, a compatible server without {@code usage}):
     * its calls count 0 tokens and 0 USD, so token and cost budgets do not bound them, which nothing said.
     */
    private void noteMissingUsage(String providerId, String model, Usage usage) {
        if (usage.inputTokens() == 0 && usage.outputTokens() == 0 && withoutUsage.size() < MAX_WITHOUT_USAGE
                && withoutUsage.add(providerId + "/" + model)) {
            LOG.warn("LLM provider '{}' answered for model {} without token usage: its calls count 0 tokens and 0 USD"
                    + " in budgets and /providers/usage, so token and cost budgets do not bound them (logged once for"
                    + " this model)", providerId, model);
        }
    }

    /** {@code usage} as {@link Usage#counted()} counts it, with a warning naming the provider when that changed it. */
    static Usage counted(String providerId, Usage usage) {
        if (usage == null) {
            return Usage.NONE;
        }
        Usage counted = usage.counted();
        if (counted == usage) {
            return usage;
        }
        LOG.warn("LLM provider '{}' reported token counts out of range (input {}, cached read {}, cache write {},"
                        + " one-hour cache write {}, output {}, reasoning {}, tool prompt {}); counted within 0 to {},"
                        + " the one-hour cache writes within the cache writes", providerId,
                usage.inputTokens(), usage.cachedReadTokens(), usage.cacheWriteTokens(), usage.cacheWrite1hTokens(),
                usage.outputTokens(), usage.reasoningTokens(), usage.toolPromptTokens(), Usage.MAX_COUNTED_TOKENS);
        return counted;
    }

    /**
     * USD for the tokens at the call's prices per million ({@link CallPrices}: the model's, or its price tier's for a
     * long prompt): the input tokens not in the prompt cache at the input price, those read from and written to it at
     * the cache prices (the input price when a cache price is unknown), the writes kept one hour at the one-hour write
     * price (the write price when unknown), the tool prompt tokens at the input price, the output tokens at the output
     * price. A price that is unknown, or out of range, counts as zero.
     */
    static BigDecimal cost(ModelInfo model, Usage usage) {
        // inputTokens includes the cached tokens (every adapter adds in what its provider reports apart)
        long cacheRead = Math.max(0, usage.cachedReadTokens());
        long cacheWrite = Math.max(0, usage.cacheWriteTokens());
        long uncached = Math.max(0, usage.inputTokens() - cacheRead - cacheWrite);
        // not in inputTokens (Gemini's toolUsePromptTokenCount, the built-in tools' results fed to the model), yet input
        // the provider charges
        long toolPrompt = Math.max(0, usage.toolPromptTokens());
        long cacheWrite1h = Math.clamp(usage.cacheWrite1hTokens(), 0, cacheWrite); // a part of the writes, no more
        CallPrices prices = CallPrices.of(model, usage.inputTokens());
        BigDecimal cost = priced(prices.input(), uncached).add(priced(prices.input(), toolPrompt))
                .add(priced(prices.cacheRead(), cacheRead))
                .add(priced(prices.cacheWrite(), cacheWrite - cacheWrite1h))
                .add(priced(prices.cacheWrite1h(), cacheWrite1h))
                .add(priced(prices.output(), usage.outputTokens()));
        return cost.movePointLeft(6);
    }

    private static BigDecimal priced(BigDecimal pricePerMillion, long tokens) {
        // a price out of range (a third party's mistake; our providers refuse it) is no price: a negative one would
        // pay back tokens, a huge one make costs the history cannot store, a tiny one costs a thousand digits long
        return pricePerMillion == null || !ConfigRanges.isPricePerMillionUsd(pricePerMillion) ? BigDecimal.ZERO
                : pricePerMillion.multiply(BigDecimal.valueOf(tokens));
    }

    private BigDecimal record(CallFor callFor, Candidate candidate, int attempt, boolean streamed, Usage usage,
                              Instant end, Duration took, ProviderException failure) {
        BigDecimal cost = cost(candidate.model(), usage);
        ledger.record(callFor.executionId(), callFor.tenant(), candidate.providerId(),
                new UsageSummary(1, failure == null ? 0 : 1, usage, cost));
        listeners.publish(new LlmCallEvent(end, callFor.executionId(), candidate.providerId(), candidate.model().id(), attempt,
                streamed, failure == null, usage, cost, took, failure == null ? null : failure.getMessage()));
        return cost;
    }


    /**
     * Passes a provider's stream on and remembers whether anything reached the caller, since a fallback is only
     * possible before that. A StreamError that comes first is held back: if the router falls back, the caller never
     * sees the abandoned attempt's error.
     */
    private static final class GuardedHandler implements StreamHandler {
        private final StreamHandler downstream;
        private volatile boolean delivered;
        private volatile StreamEvent.StreamError held;
        private volatile Usage usage = Usage.NONE;

        GuardedHandler(StreamHandler downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onEvent(StreamEvent event) {
            if (event instanceof StreamEvent.UsageUpdate update && update.usage() != null) {
                usage = update.usage();
            }
            if (!delivered && event instanceof StreamEvent.StreamError error) {
                held = error;
                return;
            }
            releaseHeld();
            delivered = true;
            downstream.onEvent(event);
        }

        void releaseHeld() {
            StreamEvent.StreamError error = held;
            if (error != null) {
                held = null;
                delivered = true;
                downstream.onEvent(error);
            }
        }

        boolean delivered() {
            return delivered;
        }

        /** The last usage the stream reported, billed even when it then failed. */
        Usage usage() {
            return usage;
        }
    }
}
