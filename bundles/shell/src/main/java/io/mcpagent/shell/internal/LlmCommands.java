package io.mcpagent.shell.internal;

import static io.mcpagent.shell.internal.CommandArguments.NO_ARGUMENTS;
import static io.mcpagent.shell.internal.CommandArguments.OPTION;
import static io.mcpagent.shell.internal.CommandArguments.arguments;
import static io.mcpagent.shell.internal.CommandArguments.noArguments;
import static io.mcpagent.shell.internal.CommandArguments.optionalArgument;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.PriceTier;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Amounts;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.shell.internal.CommandArguments.Words;

/**
 * The {@code llm:} Gogo commands: the LLM providers on the plugin whiteboard, their models, a chat with one
 * provider, and the usage the router recorded. Like the {@code plugin:} and {@code mcp:} commands, each returns
 * the text Gogo prints and throws an exception whose message says what to do when it cannot answer. Arguments (and
 * {@code llm:chat}'s options) are taken as lists and checked by {@link CommandArguments}, so a missing argument or
 * option value, an unknown option or a prompt not in quotes is named with the command's usage instead of Gogo's
 * {@code Cannot coerce ...}.
 * <p>
 * {@code llm:chat} talks to the one provider named, with no fallback to another (the point is to try this one); it
 * goes through the router when the router runs, pinned to that provider and model, so {@code llm:usage} counts it,
 * for the session's tenant too.
 * <p>
 * Every reference is optional and dynamic, so the commands stay available (and name the bundle to start) while
 * {@code io.mcpagent.core} is stopped; without the router {@code llm:providers} shows no circuit. The execution
 * history is for {@code llm:usage <executionId>} of executions the router does not count (those of an earlier run).
 */
@Component(service = LlmCommands.class)
@GogoCommand(scope = "llm", function = {"providers", "models", "chat", "usage"})
public final class LlmCommands {
    static final String ROUTER_NOT_RUNNING = "LLM router not running (bundle io.mcpagent.core); start that bundle"
            + " (see 'lb -s') and check its components with 'scr:list'";
    /** The value of a text option not given; an empty one means the same. */
    private static final String NOT_GIVEN = "";
    /** How the commands with arguments are called, for the message when one is missing or split. */
    private static final String MODELS = "llm:models [<provider>] (llm:providers lists them)";
    private static final String CHAT = "llm:chat [--model <m>] [--system \"<s>\"] [--stream] <provider> \"<prompt>\"";
    private static final String USAGE = "llm:usage [--tenant <t>] [<executionId>] (agent:history lists executions)";

    private final OptionalReference<PluginManager> plugins;
    private final OptionalReference<LlmRouter> router;
    private final OptionalReference<ExecutionHistory> history;
    private final ShellSecurity security;
    private final ShellMasker masker;

    @Activate
    public LlmCommands(BundleContext context, @Reference ShellSecurity security, @Reference ShellMasker masker) {
        this.plugins = Plugins.whiteboard(context);
        this.router = OptionalReference.of(context, "io.mcpagent.core", "the LLM router", ROUTER_NOT_RUNNING);
        this.history = AgentCommands.history(context);
        this.security = security;
        this.masker = masker;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPluginManager")
    void bindPluginManager(PluginManager manager) {
        plugins.bind(manager);
    }

    void unbindPluginManager(PluginManager manager) {
        plugins.unbind(manager);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindRouter")
    void bindRouter(LlmRouter llmRouter) {
        router.bind(llmRouter);
    }

    void unbindRouter(LlmRouter llmRouter) {
        router.unbind(llmRouter);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHistory")
    void bindHistory(ExecutionHistory service, Map<String, Object> properties) {
        history.bind(service, properties);
    }

    /** Without the service, which DS would ask for again: see {@link OptionalReference#unbind(Map)}. */
    void unbindHistory(Map<String, Object> properties) {
        history.unbind(properties);
    }

    @Descriptor("list the LLM providers with their health, number of models and circuit state (from the router), then"
            + " why those not UP are not, and those the router ranks last since a call was refused, and why")
    public String providers(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        security.require(session, Role.VIEWER, "llm:providers");
        noArguments(none, "llm:providers");
        PluginManager manager = plugins.require();
        List<PluginInfo> providers = manager.list(PluginKind.PROVIDER);
        String count = TextTable.count(providers.size(), "LLM provider");
        if (providers.isEmpty()) {
            return count;
        }
        Map<String, String> circuits = fromRouter(LlmRouter::circuits);
        Map<String, ProviderRefusal> rankedLast = fromRouter(LlmRouter::rankedLast);
        TextTable table = TextTable.of("ID", "NAME", "HEALTH", "MODELS", "CIRCUIT");
        List<String> unhealthy = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (PluginInfo plugin : providers) {
            Integer models = manager.service(plugin.id(), LlmProvider.class).flatMap(LlmCommands::models)
                    .map(List::size).orElse(null);
            PluginHealth health = Plugins.health(manager, plugin.id(), "llm:providers");
            table.row(plugin.id(), plugin.name(), health.status(), models, circuits.get(plugin.id()));
            if (health.status() != PluginHealth.Status.UP && !health.message().isBlank()) {
                // why, as plugin:info says it: a provider without its key names the variable to set
                unhealthy.add(plugin.id() + " is " + health.status() + ": " + TextTable.cell(masker.mask(
                        health.message())));
            }
            ProviderRefusal refusal = rankedLast.get(plugin.id());
            if (refusal != null) {
                refusals.add(plugin.id() + " ranked last since " + refusal.since() + ": " + refused(refusal.category())
                        + " (" + refusal.category() + ")" + (refusal.message().isBlank() ? "" : ": "
                        + TextTable.cell(refusal.message())));
            }
        }
        List<String> lines = new ArrayList<>(List.of(table.render(), count));
        lines.addAll(unhealthy);
        lines.addAll(refusals);
        return String.join("\n", lines);
    }

    /** What a refusal that ranks a provider last means for its account. */
    private static String refused(ProviderError.Category category) {
        return switch (category) {
            case AUTH -> "its key was refused";
            case PERMISSION -> "its account lacks the permission";
            case QUOTA_EXHAUSTED -> "its quota is exhausted";
            default -> "its call was refused";
        };
    }

    @Descriptor("list the models of every LLM provider, or of one (its default model first), with capabilities,"
            + " context window and prices (USD per million tokens)")
    public String models(CommandSession session,
                         @Descriptor("provider id, as shown by llm:providers (default: every provider)")
                         String... providerId) {
        security.require(session, Role.VIEWER, "llm:models");
        Optional<String> one = optionalArgument(providerId, "one provider id", MODELS);
        PluginManager manager = plugins.require();
        TextTable table = modelTable();
        if (one.isPresent()) {
            String id = providerId(manager, one.get());
            try {
                addModels(table, id, provider(manager, id).models());
            } catch (ProviderException e) {
                throw failed(id, e.error(), e);
            }
            String count = TextTable.count(table.size(), "model");
            return table.size() == 0 ? count : table.render() + "\n" + count;
        }
        List<String> notListed = new ArrayList<>();
        for (PluginInfo plugin : manager.list(PluginKind.PROVIDER)) {
            // A provider that left since the listing has no models to show.
            Optional<LlmProvider> provider = manager.service(plugin.id(), LlmProvider.class);
            try {
                provider.ifPresent(p -> addModels(table, plugin.id(), p.models()));
            } catch (RuntimeException | Error e) { // an Error of a third party's provider too: its line only
                // a provider's error may quote the request or its key
                notListed.add("not listed: " + plugin.id() + " (" + TextTable.cell(masker.mask(
                        e instanceof ProviderException ? e.getMessage() : e.toString())) + ")");
            }
        }
        List<String> lines = new ArrayList<>();
        if (table.size() > 0) {
            lines.add(table.render());
        }
        lines.add(TextTable.count(table.size(), "model"));
        lines.addAll(notListed);
        return String.join("\n", lines);
    }

    @Descriptor("send one prompt to an LLM provider (without fallback to another) and print the answer, then the"
            + " model, stop reason and tokens in/out")
    public String chat(CommandSession session,
                       @Descriptor("provider id (as shown by llm:providers), then the prompt in double quotes; the"
                               + " options, before or after them:"
                               + OPTION + "--model <m>      model id, as shown by llm:models (default: the"
                               + " provider's default model)"
                               + OPTION + "--system \"<s>\"   system instruction"
                               + OPTION + "--stream         print the answer as it is generated")
                       String... words) {
        Principal caller = security.require(session, Role.OPERATOR, "llm:chat");
        Words options = CommandArguments.words(words, CHAT, List.of("--stream"), List.of("--model", "--system"));
        List<String> providerAndPrompt = arguments(options.arguments(), 2, CHAT, "the provider id",
                "the prompt in quotes");
        String prompt = providerAndPrompt.get(1);
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("the prompt is empty; e.g. llm:chat " + providerAndPrompt.get(0)
                    + " \"Say hello in one word\"");
        }
        PluginManager manager = plugins.require();
        String providerId = providerId(manager, providerAndPrompt.get(0));
        LlmProvider provider = provider(manager, providerId);
        ChatRequest request = ChatRequest.of(given(options.option("--model", NOT_GIVEN)),
                given(options.option("--system", NOT_GIVEN)), List.of(Message.user(prompt)));
        try {
            if (!options.flag("--stream")) {
                ChatResponse response = send(caller, providerId, provider, request, null);
                // a model may repeat a secret it was given or read, as the REST API's answers are masked
                return masker.mask(answer(response)) + "\n" + summary(response);
            }
            return streamed(caller, providerId, provider, request, console(session));
        } catch (ProviderException e) {
            throw failed(providerId, e.error(), e);
        }
    }

    @Descriptor("show the usage the router recorded since it started, per provider (the session's tenant's; every"
            + " tenant's for an admin, or one tenant's), or of one execution: calls, failed calls, tokens and cost"
            + " (USD); an execution of an earlier run: its tokens and cost from the history")
    public String usage(CommandSession session,
                        @Descriptor("execution id (default: every call since the router started); the option, before"
                                + " or after it:"
                                + OPTION + "--tenant <t>   the usage of that tenant's calls (an admin may name any"
                                + " tenant, others only their own)")
                        String... words) {
        Principal caller = security.require(session, Role.VIEWER, "llm:usage");
        Words given = CommandArguments.words(words, USAGE, List.of(), List.of("--tenant"));
        Optional<String> execution = optionalArgument(given.arguments(), "one execution id", USAGE);
        String named = given.option("--tenant", NOT_GIVEN);
        if (execution.isPresent()) {
            if (!named.equals(NOT_GIVEN)) {
                throw new IllegalArgumentException("give --tenant or an execution id, not both (an execution's usage"
                        + " is its tenant's): " + USAGE);
            }
            return executionUsage(caller, execution.get());
        }
        // a tenant's calls and costs are its own business; only an admin sees every tenant's
        String tenant = !named.equals(NOT_GIVEN) ? tenant(caller, named)
                : caller.role() == Role.ADMIN ? null : caller.tenant();
        LlmRouter current = router.require();
        Map<String, UsageSummary> byProvider = new TreeMap<>(tenant == null ? current.usageByProvider()
                : current.usageByProvider(tenant));
        String whose = tenant == null ? "" : " (tenant '" + tenant + "')";
        if (byProvider.isEmpty()) {
            return "no calls yet" + whose;
        }
        // TOTAL is every billed token as budgets and /providers/usage count them: INPUT + TOOL-PROMPT + OUTPUT
        TextTable table = TextTable.of("PROVIDER", "CALLS", "FAILED", "INPUT", "TOOL-PROMPT", "OUTPUT", "TOTAL",
                "COST$");
        UsageSummary total = UsageSummary.NONE;
        for (Map.Entry<String, UsageSummary> entry : byProvider.entrySet()) {
            UsageSummary usage = entry.getValue();
            Usage tokens = usage.usage();
            table.row(entry.getKey(), usage.calls(), usage.failedCalls(), tokens.inputTokens(),
                    tokens.toolPromptTokens(), tokens.outputTokens(), tokens.totalTokens(), amount(usage.cost()));
            total = total.plus(usage);
        }
        int calls = (int) Math.min(total.calls(), Integer.MAX_VALUE);
        Usage tokens = total.usage();
        return table.render() + "\n" + "total" + whose + ": " + TextTable.count(calls, "call") + ", "
                + total.failedCalls() + " failed, tokens " + tokens.totalTokens() + " (input " + tokens.inputTokens()
                + " + tool prompt " + tokens.toolPromptTokens() + " + output " + tokens.outputTokens() + "), cost "
                + amount(total.cost()) + " USD";
    }

    /**
     * The tenant {@code --tenant} names, as {@code ?tenant=} of {@code /api/v1/providers/usage} takes it: a tenant
     * name, and the session's own tenant unless the session is an admin's (the refusal is audited).
     */
    private String tenant(Principal caller, String named) {
        String tenant = named.strip();
        if (!Principal.isTenantName(tenant)) {
            throw new IllegalArgumentException("--tenant must be " + Principal.TENANT_RULE + "; was "
                    + (tenant.length() > Principal.MAX_TENANT_CHARS ? tenant.length() + " characters long"
                    : "'" + TextTable.cell(tenant) + "'") + ": " + USAGE);
        }
        if (caller.role() != Role.ADMIN && !tenant.equals(caller.tenant())) {
            security.record(caller, "shell.denied", "llm:usage", AuditEntry.DENIED, "needs admin to name tenant '"
                    + tenant + "'");
            throw new SecurityException("llm:usage --tenant of another tenant than the session's own ('"
                    + caller.tenant() + "') needs the admin role; --tenant was '" + tenant + "'");
        }
        return tenant;
    }

    /**
     * The router's figures while it knows the execution (it counts the calls of this run, the latest executions
     * only); else the tokens and cost the history recorded, which outlive restarts but count no calls. Another
     * tenant's execution reads as unknown, as in {@code agent:show}.
     */
    private String executionUsage(Principal caller, String executionId) {
        Optional<ExecutionRecord> recorded = history.current().flatMap(executions -> executions.find(executionId));
        if (recorded.isPresent() && !caller.maySee(recorded.get().tenant())) {
            throw unknownExecution(executionId);
        }
        Optional<UsageSummary> routed = router.current().map(current -> current.usage(executionId))
                .filter(usage -> usage.calls() > 0);
        if (routed.isPresent()) {
            UsageSummary usage = routed.get();
            return usageLines(executionId, "router (calls since it started)",
                    List.of(TextTable.field("calls", String.valueOf(usage.calls())),
                            TextTable.field("failed", String.valueOf(usage.failedCalls()))),
                    usage.usage(), usage.cost());
        }
        if (recorded.isPresent()) {
            return usageLines(executionId, "history (it keeps tokens and cost, not calls; agent:show " + executionId
                    + " lists each model call)", List.of(), recorded.get().usage(), recorded.get().cost());
        }
        // Not found; a source that is not running might have had it.
        List<String> notRunning = new ArrayList<>();
        if (!router.isBound()) {
            notRunning.add(router.missingMessage());
        }
        if (!history.isBound()) {
            notRunning.add(history.missingMessage());
        }
        if (!notRunning.isEmpty()) {
            throw new IllegalStateException("cannot tell the usage of execution '" + executionId + "': "
                    + String.join("; ", notRunning));
        }
        throw unknownExecution(executionId);
    }

    private static String usageLines(String executionId, String source, List<String> calls, Usage tokens,
                                     BigDecimal cost) {
        List<String> lines = new ArrayList<>(List.of(TextTable.field("execution", executionId),
                TextTable.field("source", source)));
        lines.addAll(calls);
        lines.addAll(List.of(TextTable.field("inputTokens", String.valueOf(tokens.inputTokens())),
                TextTable.field("cachedReadTokens", String.valueOf(tokens.cachedReadTokens())),
                TextTable.field("cacheWriteTokens", String.valueOf(tokens.cacheWriteTokens())),
                TextTable.field("cacheWrite1hTokens", String.valueOf(tokens.cacheWrite1hTokens())),
                TextTable.field("toolPromptTokens", String.valueOf(tokens.toolPromptTokens())),
                TextTable.field("outputTokens", String.valueOf(tokens.outputTokens())),
                TextTable.field("reasoningTokens", String.valueOf(tokens.reasoningTokens())),
                TextTable.field("totalTokens", String.valueOf(tokens.totalTokens())),
                TextTable.field("cost", amount(cost) + " USD")));
        return String.join("\n", lines);
    }

    private static IllegalArgumentException unknownExecution(String executionId) {
        return new IllegalArgumentException("no execution '" + executionId + "' in the router's usage or the"
                + " history; agent:history lists the latest");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * The id of the provider a command names, in any case as {@code agent:plan --provider} takes it: the exact id first,
     * else the one equal ignoring case; several that differ only in case are refused naming them.
     */
    private static String providerId(PluginManager manager, String named) {
        return manager.find(PluginKind.PROVIDER, named).map(PluginInfo::id).orElseThrow(() -> noProvider(named));
    }

    /** The provider of that exact id; it may have left since its id was found. */
    private static LlmProvider provider(PluginManager manager, String id) {
        return manager.service(id, LlmProvider.class).orElseThrow(() -> noProvider(id));
    }

    private static IllegalArgumentException noProvider(String id) {
        return new IllegalArgumentException("no LLM provider '" + id + "'; see llm:providers");
    }

    /** The provider's models; empty when it cannot list them ({@code llm:models <id>} says why). */
    private static Optional<List<ModelInfo>> models(LlmProvider provider) {
        try {
            return Optional.ofNullable(provider.models());
        } catch (RuntimeException | Error e) { // a third party's provider fails its own line, not the listing
            return Optional.empty();
        }
    }

    /** What the router says by provider id (circuits, refusals); none while it is not running or cannot say. */
    private <T> Map<String, T> fromRouter(Function<LlmRouter, Map<String, T>> question) {
        if (!router.isBound()) {
            return Map.of();
        }
        try {
            Map<String, T> answer = question.apply(router.require());
            return answer == null ? Map.of() : answer;
        } catch (RuntimeException e) {
            // The router left meanwhile, or failed: the table is still worth showing.
            return Map.of();
        }
    }

    private static TextTable modelTable() {
        return TextTable.of("PROVIDER", "MODEL", "CAPABILITIES", "CONTEXT", "INPUT$/M", "OUTPUT$/M", "CACHE-READ$/M",
                "CACHE-WRITE$/M", "CACHE-WRITE-1H$/M", "TIERS");
    }

    private static void addModels(TextTable table, String providerId, List<ModelInfo> models) {
        for (ModelInfo model : models) {
            String capabilities = model.capabilities().stream().sorted().map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(","));
            table.row(providerId, model.id(), capabilities, model.contextWindow() > 0 ? model.contextWindow() : null,
                    amount(model.inputPricePerMillion()), amount(model.outputPricePerMillion()),
                    amount(model.cacheReadPricePerMillion()), amount(model.cacheWritePricePerMillion()),
                    amount(model.cacheWrite1hPricePerMillion()), tiers(model.priceTiers()));
        }
    }

    /**
     * The price tiers as a model spec's {@code tiers} field writes them, so a line can be copied into a provider's
     * {@code models}: {@code >200000:2.5:15}, a cache price the tier leaves out empty; null when there are none.
     */
    static String tiers(List<PriceTier> tiers) {
        if (tiers.isEmpty()) {
            return null;
        }
        return tiers.stream().map(tier -> {
            List<String> prices = new ArrayList<>(Stream.of(tier.inputPricePerMillion(), tier.outputPricePerMillion(),
                    tier.cacheReadPricePerMillion(), tier.cacheWritePricePerMillion(),
                    tier.cacheWrite1hPricePerMillion()).map(price -> price == null ? "" : amount(price)).toList());
            while (prices.getLast().isEmpty()) { // the input and output prices are never empty
                prices.removeLast();
            }
            return ">" + tier.aboveInputTokens() + ":" + String.join(":", prices);
        }).collect(Collectors.joining(","));
    }

    /** A price or cost without trailing zeros, as {@link Amounts#text} writes it; null stays null. */
    static String amount(BigDecimal value) {
        return value == null ? null : Amounts.text(value);
    }

    private static String given(String option) {
        return option == null || option.isBlank() ? null : option;
    }

    private static PrintStream console(CommandSession session) {
        PrintStream console = session == null ? null : session.getConsole();
        return console == null ? System.out : console;
    }

    /**
     * Through the router when it runs (so the call is recorded, in the session's tenant's usage too), pinned to this
     * provider and its model with the provider itself as the only chain entry, so nothing falls back; directly
     * otherwise. The router calls a provider the call names even when it is DOWN listing no models (a configuration
     * with mistakes serves none), so that its own refusal names its mistakes. A null handler means no streaming.
     */
    private ChatResponse send(Principal caller, String providerId, LlmProvider provider, ChatRequest request,
                              StreamHandler handler) {
        Optional<LlmRouter> current = router.current();
        if (current.isEmpty()) {
            return handler == null ? provider.chat(request) : provider.stream(request, handler);
        }
        List<ModelInfo> models = models(provider).orElse(List.of());
        String model = request.model() != null ? request.model() : models.isEmpty() ? null : models.get(0).id();
        ModelRequirements pinned = new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, providerId,
                model, List.of(providerId));
        return current.get().routeForTenant(request, pinned, caller.tenant(), handler).response();
    }

    /**
     * Streams the answer's text to the console as it comes, in whole lines masked together (a secret split across
     * fragments would pass a masker that saw one fragment at a time), as many as the masker says can be shown: it holds
     * back the lines of a configured secret that spans lines (a PEM key) until it can mask it whole. Returns what
     * follows the text: the tool calls and refusals of the assembled answer, masked, then the summary line. A stream
     * that ends with an error fails like a call.
     */
    private String streamed(Principal caller, String providerId, LlmProvider provider, ChatRequest request,
                            PrintStream console) {
        ProviderError[] failure = {null};
        boolean[] printed = {false};
        StringBuilder unshown = new StringBuilder();
        ChatResponse response;
        try {
            response = send(caller, providerId, provider, request, event -> {
                if (event instanceof StreamEvent.TextDelta delta) {
                    unshown.append(delta.text());
                    int showable = masker.current().showableLength(unshown.toString());
                    if (showable > 0) {
                        printed[0] |= printMasked(console, unshown.substring(0, showable));
                        unshown.delete(0, showable);
                    }
                } else if (event instanceof StreamEvent.StreamError error) {
                    failure[0] = error.error();
                }
            });
        } finally {
            // The rest, ended so that what follows (the summary, or the error Gogo prints) has a line of its own.
            String rest = unshown.toString();
            if (printMasked(console, rest)) {
                printed[0] = true;
                if (!rest.endsWith("\n")) {
                    console.println();
                }
                console.flush();
            }
        }
        if (failure[0] != null) {
            throw failed(providerId, failure[0], null);
        }
        List<String> lines = new ArrayList<>(others(response.message()).stream().map(masker::mask).toList());
        if (!printed[0] && lines.isEmpty()) {
            lines.add("(no text)");
        }
        lines.add(summary(response));
        return String.join("\n", lines);
    }

    /** Prints streamed lines (or the rest of the text) masked and console-safe; whether anything was printed. */
    private boolean printMasked(PrintStream console, String text) {
        String safe = consoleSafe(masker.mask(text));
        if (safe.isEmpty()) {
            return false;
        }
        console.print(safe);
        console.flush();
        return true;
    }

    /** The answer as the console shows it: its text, then tool calls and refusals; every text made console-safe. */
    private static String answer(ChatResponse response) {
        List<String> blocks = new ArrayList<>();
        String text = TextTable.block(response.message().text());
        if (!text.isEmpty()) {
            blocks.add(text);
        }
        blocks.addAll(others(response.message()));
        return blocks.isEmpty() ? "(no text)" : String.join("\n", blocks);
    }

    /** The parts of an answer other than text, one line each. */
    private static List<String> others(Message message) {
        List<String> lines = new ArrayList<>();
        for (ToolCallPart call : message.toolCalls()) {
            lines.add("[tool call " + TextTable.cell(call.name()) + " " + TextTable.cell(call.argumentsJson()) + "]");
        }
        message.parts().stream().filter(RefusalPart.class::isInstance)
                .forEach(p -> lines.add("[refusal] " + TextTable.cell(((RefusalPart) p).text())));
        return lines;
    }

    /**
     * {@code model: m, stop: END_TURN, tokens: 12/34}, then {@code , tool prompt tokens: 5} when there are any (billed
     * beside the input, as budgets count them), the tokens counted as the router counts them: without the router
     * the provider's own counts, which may be negative or huge, reach here unchecked.
     */
    static String summary(ChatResponse response) {
        Usage counted = response.usage().counted();
        long toolPromptTokens = counted.toolPromptTokens();
        String toolPrompt = toolPromptTokens == 0 ? "" : ", tool prompt tokens: " + toolPromptTokens;
        return "model: " + TextTable.cell(response.model()) + ", stop: " + response.stopReason().name() + ", tokens: "
                + counted.inputTokens() + "/" + counted.outputTokens() + toolPrompt;
    }

    /**
     * A streamed fragment made console-safe: like {@link TextTable#block} it keeps line breaks and turns other
     * control characters into spaces, but it keeps the fragment's surrounding spaces (they separate the words of
     * consecutive fragments) and drops carriage returns, which would move the cursor back.
     */
    static String consoleSafe(String fragment) {
        StringBuilder out = new StringBuilder(fragment.length());
        fragment.codePoints().filter(c -> c != '\r')
                .forEach(c -> out.appendCodePoint(c != '\n' && Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }

    /**
     * The provider's failure as the console shows it: category, message (masked: a provider may quote the request or
     * its key) and whether trying again may help. It carries the failure's stack trace, not the failure as its cause,
     * whose message is the unmasked one.
     */
    private IllegalStateException failed(String providerId, ProviderError error, Throwable failure) {
        // the built-in families begin their messages with "provider '<id>': ", which this one says already
        StringBuilder message = new StringBuilder("LLM provider '").append(providerId).append("' failed: ")
                .append(error.category()).append(": ")
                .append(TextTable.cell(masker.mask(error.messageWithout(providerId))));
        if (error.httpStatus() > 0 && !error.message().contains("HTTP " + error.httpStatus())) {
            message.append(" (HTTP ").append(error.httpStatus()).append(')');
        }
        if (error.retryable()) {
            Duration after = error.retryAfter();
            // a sub-second hint (retry-after-ms, Gemini's "0.5s") read "after 0 s" in whole seconds
            message.append("; retryable").append(after == null ? "" : " after " + Durations.text(after));
        }
        if (error.requestId() != null) {
            message.append("; request id ").append(TextTable.cell(error.requestId()));
        }
        // the router counted what the failed call billed in the usage: the one who made the call hears of it too
        String billed = failure instanceof ProviderException provider ? provider.billedText() : "";
        if (!billed.isEmpty()) {
            message.append("; ").append(billed);
        }
        IllegalStateException failed = new IllegalStateException(message.toString());
        if (failure != null) {
            failed.setStackTrace(failure.getStackTrace());
        }
        return failed;
    }
}
