package io.mcpagent.http.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.plugin.AmbiguousNameException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.SecretMasker;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The LLM provider endpoints under {@code /api/v1/providers}: the providers on the plugin whiteboard with their
 * health, models, circuit state and whether the router ranks them last after a refusal, the usage the router
 * recorded, and a chat with one provider. Reading needs the role viewer; a chat spends money, so it needs operator.
 * The usage is the caller's tenant's (the calls of its executions and its chats); an admin's is every tenant's, or
 * one's.
 * <p>
 * A chat goes to the one provider named, without fallback to another (the caller chose it), through the router
 * when it runs so {@code /providers/usage} counts it. A failing provider is answered 502 (400 when it refused
 * the request as invalid) with {@code {"error":"provider_error","message","category","retryable"}}, and so is one
 * that does not answer within the chat's {@code timeoutSeconds} (category TIMEOUT); a failed call that was billed
 * says so in its message and in {@code billed} and {@code billedCost}.
 * <p>
 * What a model or a provider says (a chat's answer, a failure, a provider's health and why it cannot list its models)
 * is masked as the autonomous answers are: a model may repeat a secret it was given, and a provider's error may quote
 * the request or its key.
 */
final class ProviderRoutes {
    static final String PREFIX = "/providers";
    static final String USAGE = "usage";
    static final String CHAT = "chat";
    /** Failures the caller's request causes, whoever tries it: a 400, where the others are the provider's, a 502. */
    private static final Set<ProviderError.Category> CALLERS_TO_CHANGE = EnumSet.of(
            ProviderError.Category.INVALID_REQUEST, ProviderError.Category.CONTEXT_LENGTH,
            ProviderError.Category.CONTENT_FILTERED);
    static final String MODELS = "models";
    /**
     * The models a provider's entry in {@code /providers} and {@code /providers/{id}} holds, the first ones (the
     * default first); {@code modelCount} says how many there are and {@code /providers/{id}/models} pages through
     * all: a provider may list a hundred thousand (a gateway's catalogue), which made the listing tens of megabytes.
     */
    static final int MODELS_SHOWN = Page.DEFAULT_LIMIT;
    static final String TENANT = "tenant";
    static final double MAX_TEMPERATURE = 2.0;
    static final String TIMEOUT_SECONDS = "timeoutSeconds";
    /** Longer than the built-in providers' own 120 s request timeout, so that theirs speaks first. */
    static final int DEFAULT_CHAT_TIMEOUT_SECONDS = 300;
    static final int MAX_CHAT_TIMEOUT_SECONDS = 3600;
    /** The fields of a chat body, in the order the error message lists them. */
    private static final List<String> CHAT_FIELDS = List.of("messages", "prompt", "system", "model", "maxTokens",
            "temperature");
    private static final String CHAT_BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"...\"}],"
            + " \"system\":\"...\", \"model\":\"...\", \"maxTokens\":N, \"temperature\":x} or {\"prompt\":\"...\"}";
    private static final ObjectMapper JSON = RequestJson.MAPPER;
    /** Trailing zeros a cost is written out with; beyond, it stays in E notation (as Amounts.text has it). */
    private static final int MAX_PLAIN_ZEROS = 30;

    private final McpRoutes.Required<PluginManager> plugins;
    private final McpRoutes.Required<LlmRouter> router;
    private final SecretMasker masker;

    ProviderRoutes(McpRoutes.Required<PluginManager> plugins, McpRoutes.Required<LlmRouter> router,
                   SecretMasker masker) {
        this.plugins = plugins;
        this.router = router;
        this.masker = masker;
    }

    /** Whether a path (below {@code /api/v1}) is one of these routes' or would be. */
    static boolean handles(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    ApiReply route(HttpServletRequest request, String path, byte[] body, McpRoutes.Access access) throws ApiError {
        String rest = path.substring(PREFIX.length());
        List<String> segments = McpRoutes.segments(rest);
        String method = request.getMethod();
        boolean one = segments.size() == 1 && !segments.get(0).isEmpty();
        boolean chat = segments.size() == 2 && !segments.get(0).isEmpty() && segments.get(1).equals(CHAT);
        boolean models = segments.size() == 2 && !segments.get(0).isEmpty() && segments.get(1).equals(MODELS);
        if (segments.isEmpty() || one) {
            requireMethod(method, "GET");
            Principal caller = access.require(Role.VIEWER);
            if (segments.isEmpty()) {
                return ApiReply.ok(providers(Page.of(request)));
            }
            return ApiReply.ok(segments.get(0).equals(USAGE) ? usage(request, caller) : provider(segments.get(0)));
        }
        if (models) {
            requireMethod(method, "GET");
            access.require(Role.VIEWER);
            return ApiReply.ok(models(segments.get(0), Page.of(request)));
        }
        if (chat) {
            requireMethod(method, "POST");
            Principal caller = access.require(Role.OPERATOR);
            return chat(caller, segments.get(0), body, Page.number(request, TIMEOUT_SECONDS,
                    DEFAULT_CHAT_TIMEOUT_SECONDS, 1, MAX_CHAT_TIMEOUT_SECONDS));
        }
        throw ApiError.notFound("no endpoint " + method + " /api/v1" + ApiError.echo(path)
                + "; the provider endpoints are"
                + " /api/v1/providers, /providers/usage, /providers/{id}, /providers/{id}/models and"
                + " /providers/{id}/chat");
    }

    private static void requireMethod(String method, String allowed) throws ApiError {
        if (!allowed.equals(method)) {
            throw ApiError.methodNotAllowed(method, List.of(allowed));
        }
    }

    // ---- the endpoints --------------------------------------------------------------------------------------------

    private ObjectNode providers(Page page) throws ApiError {
        PluginManager manager = plugins.require();
        RouterView view = routerView();
        ObjectNode result = JSON.createObjectNode();
        ArrayNode array = result.putArray("providers");
        List<PluginInfo> listed = manager.list(PluginKind.PROVIDER);
        List<PluginInfo> shown = page.of(listed);
        shown.forEach(p -> array.add(describe(manager, p, view)));
        result.put("count", shown.size());
        return page.describe(result, listed.size());
    }

    private ObjectNode provider(String named) throws ApiError {
        PluginManager manager = plugins.require();
        return describe(manager, installed(manager, named), routerView());
    }

    /** A page of one provider's models, the default first; 502 when it cannot list them, as a server its tools. */
    private ObjectNode models(String named, Page page) throws ApiError {
        PluginManager manager = plugins.require();
        PluginInfo plugin = installed(manager, named);
        LlmProvider provider = manager.service(plugin.id(), LlmProvider.class).orElseThrow(() -> unknown(named));
        List<ModelInfo> all;
        try {
            all = List.copyOf(provider.models());
        } catch (RuntimeException | Error e) { // a third party's provider fails its own answer
            throw ApiError.badGateway("provider '" + plugin.id() + "' cannot list its models: "
                    + masker.mask(e instanceof ProviderException ? e.getMessage() : e.toString()));
        }
        List<ModelInfo> shown = page.of(all);
        ObjectNode result = JSON.createObjectNode().put("provider", plugin.id());
        ArrayNode array = result.putArray(MODELS);
        shown.forEach(m -> array.add(model(m)));
        result.put("count", shown.size());
        return page.describe(result, all.size());
    }

    /**
     * The provider a path names, in any case as {@code "provider"} of an autonomous task and {@code llm:chat} take it:
     * the exact id first, else the one equal ignoring case; 400 naming them when several differ only in case.
     */
    private static PluginInfo installed(PluginManager manager, String named) throws ApiError {
        try {
            return manager.find(PluginKind.PROVIDER, named).orElseThrow(() -> unknown(named));
        } catch (AmbiguousNameException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /**
     * The usage of the caller's tenant; an admin's is every tenant's and the calls outside executions, or one
     * tenant's with {@code ?tenant=} (another tenant than its own is 403 for others).
     */
    private ObjectNode usage(HttpServletRequest request, Principal caller) throws ApiError {
        String named = AutonomousRoutes.tenant(Page.parameter(request, TENANT), caller, TENANT);
        String tenant = named != null ? named : caller.role() == Role.ADMIN ? null : caller.tenant();
        LlmRouter current = router.require();
        Map<String, UsageSummary> byProvider = new TreeMap<>(tenant == null ? current.usageByProvider()
                : current.usageByProvider(tenant));
        ObjectNode result = JSON.createObjectNode();
        result.put(TENANT, tenant);
        ObjectNode providers = result.putObject("providers");
        UsageSummary total = UsageSummary.NONE;
        for (Map.Entry<String, UsageSummary> entry : byProvider.entrySet()) {
            providers.set(entry.getKey(), summary(entry.getValue()));
            total = total.plus(entry.getValue());
        }
        result.set("total", summary(total));
        return result;
    }

    /**
     * Through the router when it runs, so the call is recorded in the usage, the caller's tenant's too: pinned to this
     * provider and model, with the provider itself as the only chain entry, so nothing falls back. Directly when no
     * router runs. The router calls a provider the call names even when it is DOWN listing no models (a configuration
     * with mistakes serves none), so that its own refusal names its mistakes.
     */
    private ChatResponse send(Principal caller, String id, LlmProvider provider, ChatRequest request) {
        LlmRouter current;
        try {
            current = router.require();
        } catch (ApiError noRouter) {
            return provider.chat(request);
        }
        String model = request.model() != null ? request.model() : defaultModel(provider);
        return current.routeForTenant(request, new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, id,
                model, List.of(id)), caller.tenant(), null).response();
    }

    /**
     * {@link #send} on its own virtual thread, so that a provider that never answers (a third-party one without a
     * request timeout of its own) cannot hold the request forever: after {@code timeoutSeconds} it is interrupted
     * and the caller gets a TIMEOUT.
     */
    private ChatResponse sendWithin(Principal caller, String id, LlmProvider provider, ChatRequest request,
                                    int timeoutSeconds) {
        FutureTask<ChatResponse> call = new FutureTask<>(() -> send(caller, id, provider, request));
        Thread.ofVirtual().name("mcpagent-provider-chat-" + id).start(call);
        try {
            return call.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new ProviderException(ProviderError.of(ProviderError.Category.TIMEOUT, "no answer within "
                    + timeoutSeconds + " s (query parameter " + TIMEOUT_SECONDS + ", at most "
                    + MAX_CHAT_TIMEOUT_SECONDS + "); the call was interrupted"));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderError.of(ProviderError.Category.CANCELLED,
                    "the request was interrupted while the provider worked (the server is stopping)"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("provider '" + id + "' failed: " + e.getCause(), e.getCause());
        }
    }

    private ApiReply chat(Principal caller, String named, byte[] body, int timeoutSeconds) throws ApiError {
        PluginManager manager = plugins.require();
        String id = installed(manager, named).id();
        LlmProvider provider = manager.service(id, LlmProvider.class).orElseThrow(() -> unknown(id));
        ChatRequest request = chatRequest(body);
        requireServedModel(id, provider, request.model());
        ChatResponse response;
        try {
            response = sendWithin(caller, id, provider, request, timeoutSeconds);
        } catch (ProviderException e) {
            return providerFailed(id, e, manager.health(id).orElse(null));
        }
        ObjectNode answer = JSON.createObjectNode().put("id", response.id()).put("model", response.model())
                .put("text", masker.mask(response.message().text()));
        ArrayNode calls = answer.putArray("toolCalls");
        for (ToolCallPart call : response.message().toolCalls()) {
            calls.addObject().put("id", call.callId()).put("name", masker.mask(call.name()))
                    .put("arguments", masker.mask(call.argumentsJson()));
        }
        // what the model said as it refused (OpenAI's refusal, Anthropic's stop_reason refusal): the shell prints it
        ArrayNode refusals = answer.putArray("refusals");
        response.message().parts().stream().filter(RefusalPart.class::isInstance)
                .forEach(part -> refusals.add(masker.mask(((RefusalPart) part).text())));
        answer.put("stopReason", response.stopReason().name()).put("rawStopReason", response.rawStopReason());
        answer.set("usage", usage(response.usage()));
        answer.put("requestId", response.requestId());
        return ApiReply.ok(answer);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * The provider's default model, its first; null when it lists none or fails to list them (a third party's), which
     * the router then names.
     */
    private static String defaultModel(LlmProvider provider) {
        try {
            List<ModelInfo> models = provider.models();
            return models == null || models.isEmpty() || models.get(0) == null ? null : models.get(0).id();
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    /**
     * A model the caller names must be one the provider lists, as the router requires: otherwise the caller's
     * mistake would come back as the router's NOT_FOUND, a 502. A provider that lists none (or cannot list them)
     * is asked anyway.
     */
    private static void requireServedModel(String id, LlmProvider provider, String model) throws ApiError {
        List<String> served;
        try {
            served = provider.models().stream().map(ModelInfo::id).toList();
        } catch (RuntimeException | Error e) {
            return;
        }
        if (model != null && !served.isEmpty() && !served.contains(model)) {
            throw ApiError.invalid("/model", "LLM provider '" + id + "' does not serve the model '" + model
                    + "'; its models are " + String.join(", ", served));
        }
    }

    private static ApiError unknown(String id) {
        return ApiError.notFound("no LLM provider '" + ApiError.echo(id) + "'; GET /api/v1/providers lists them");
    }

    /** What the router says of the providers, by provider id: circuit states and the providers it ranks last. */
    private record RouterView(Map<String, String> circuits, Map<String, ProviderRefusal> rankedLast) {
    }

    /** None while the router is not running or cannot say (the listing still is). */
    private RouterView routerView() {
        try {
            LlmRouter current = router.require();
            return new RouterView(Objects.requireNonNullElse(current.circuits(), Map.of()),
                    Objects.requireNonNullElse(current.rankedLast(), Map.of()));
        } catch (ApiError | RuntimeException e) {
            return new RouterView(Map.of(), Map.of());
        }
    }

    private ObjectNode describe(PluginManager manager, PluginInfo plugin, RouterView view) {
        ObjectNode node = JSON.createObjectNode().put("id", plugin.id()).put("name", plugin.name());
        PluginHealth health = health(manager, plugin.id());
        node.putObject("health").put("status", health.status().name()).put("message", masker.mask(health.message()));
        Optional<LlmProvider> provider = manager.service(plugin.id(), LlmProvider.class);
        if (provider.isEmpty()) {
            node.putNull(MODELS).putNull("modelCount");
            node.put("modelsError", "the provider left while it was listed");
        } else {
            try {
                List<ModelInfo> all = provider.get().models();
                ArrayNode models = node.putArray(MODELS);
                all.stream().limit(MODELS_SHOWN).forEach(m -> models.add(model(m)));
                node.put("modelCount", all.size());
            } catch (RuntimeException | Error e) { // a third party's provider fails its own entry, not the listing
                node.putNull(MODELS).putNull("modelCount");
                node.put("modelsError", masker.mask(e instanceof ProviderException ? e.getMessage() : e.toString()));
            }
        }
        node.put("circuit", view.circuits().get(plugin.id()));
        ProviderRefusal refusal = view.rankedLast().get(plugin.id());
        if (refusal == null) {
            node.putNull("rankedLast");
        } else {
            node.putObject("rankedLast").put("since", refusal.since().toString())
                    .put("category", refusal.category().name()).put("reason", refusal.message());
        }
        return node;
    }

    private static PluginHealth health(PluginManager manager, String id) {
        try {
            return manager.health(id).orElse(PluginHealth.unknown("the provider left while it was listed"));
        } catch (RuntimeException e) {
            return PluginHealth.unknown("health check failed: " + e);
        }
    }

    private static ObjectNode model(ModelInfo model) {
        ObjectNode node = JSON.createObjectNode().put("id", model.id());
        ArrayNode capabilities = node.putArray("capabilities");
        model.capabilities().stream().sorted().forEach(c -> capabilities.add(c.name()));
        // ModelInfo holds 0 for a context window nobody stated; like an unknown price, it is null here
        node.put("contextWindow", model.contextWindow() > 0 ? Integer.valueOf(model.contextWindow()) : null)
                .put("inputPricePerMillion", model.inputPricePerMillion())
                .put("outputPricePerMillion", model.outputPricePerMillion())
                .put("cacheReadPricePerMillion", model.cacheReadPricePerMillion())
                .put("cacheWritePricePerMillion", model.cacheWritePricePerMillion())
                .put("cacheWrite1hPricePerMillion", model.cacheWrite1hPricePerMillion());
        ArrayNode tiers = node.putArray("priceTiers");
        model.priceTiers().forEach(tier -> tiers.addObject().put("aboveInputTokens", tier.aboveInputTokens())
                .put("inputPricePerMillion", tier.inputPricePerMillion())
                .put("outputPricePerMillion", tier.outputPricePerMillion())
                .put("cacheReadPricePerMillion", tier.cacheReadPricePerMillion())
                .put("cacheWritePricePerMillion", tier.cacheWritePricePerMillion())
                .put("cacheWrite1hPricePerMillion", tier.cacheWrite1hPricePerMillion()));
        return node;
    }

    private static ObjectNode summary(UsageSummary summary) {
        ObjectNode node = JSON.createObjectNode().put("calls", summary.calls())
                .put("failedCalls", summary.failedCalls());
        node.set("usage", usage(summary.usage()));
        node.put("cost", plain(summary.cost()));
        return node;
    }

    private static ObjectNode usage(Usage usage) {
        return JSON.createObjectNode().put("input", usage.inputTokens()).put("output", usage.outputTokens())
                .put("cachedRead", usage.cachedReadTokens()).put("cacheWrite", usage.cacheWriteTokens())
                .put("cacheWrite1h", usage.cacheWrite1hTokens())
                .put("reasoning", usage.reasoningTokens()).put("toolPrompt", usage.toolPromptTokens())
                .put("total", usage.totalTokens());
    }

    /**
     * Without trailing zeros, and 1200 rather than 1.2E+3; a cost far above any real one (a model priced 1e1000 per
     * million tokens) stays in E notation: setScale(0) would write out every one of its zeros.
     */
    static BigDecimal plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 && stripped.scale() >= -MAX_PLAIN_ZEROS ? stripped.setScale(0) : stripped;
    }

    /**
     * 502, or 400 when the provider refused the request as invalid; the body says how and whether to retry, and what
     * the failed call billed (a malformed answer, a stream cut short after its usage), as the usage counts it. A
     * provider that is DOWN ({@code health}: its key unset, its configuration refused) failed for that: a 409
     * {@code provider_down} saying why, as an execution pinned to it is refused, not the provider's failure (502: its
     * missing key read as an AUTH failure) nor the caller's (400). A call still reaches a DOWN provider the caller
     * names, since a third party's may be back before its health says so.
     */
    private ApiReply providerFailed(String id, ProviderException failure, PluginHealth health) {
        ProviderError error = failure.error();
        boolean down = health != null && health.status() == PluginHealth.Status.DOWN;
        int status = down ? 409 : CALLERS_TO_CHANGE.contains(error.category()) ? 400 : 502;
        String billed = failure.billedText();
        String failed = error.messageWithout(id);
        String why = down ? health.message().strip() : "";
        String message = !down ? "LLM provider '" + id + "' failed: " + failed : "LLM provider '" + id + "' is DOWN"
                + (why.isEmpty() ? "" : ": " + why) + (!why.isEmpty() && failed.contains(why) ? ""
                : "; its call failed: " + failed);
        ObjectNode body = JSON.createObjectNode().put("error", down ? "provider_down" : "provider_error")
                .put("message", masker.mask(message) + (billed.isEmpty() ? "" : "; " + billed))
                .put("category", error.category().name()).put("retryable", error.retryable());
        if (!billed.isEmpty()) {
            body.set("billed", usage(failure.billed().counted()));
            body.put("billedCost", plain(failure.billedCost()));
        }
        if (error.httpStatus() > 0) {
            body.put("providerStatus", error.httpStatus());
        }
        Duration retryAfter = error.retryAfter();
        if (retryAfter != null && !retryAfter.isNegative()) { // a provider plugin may hand on any hint; negative is none
            // rounded up: a hint under a second (retry-after-ms) must not read as "retry at once" (0); in seconds, as
            // in milliseconds plus 999 a hint near Long.MAX_VALUE ms would overflow to a negative number
            body.put("retryAfterSeconds", retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0));
        }
        if (error.requestId() != null) {
            body.put("requestId", error.requestId());
        }
        return new ApiReply(status, body);
    }

    /** The chat body as a request; every problem is a 400 naming the field. */
    private static ChatRequest chatRequest(byte[] body) throws ApiError {
        JsonNode json = jsonObject(body);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CHAT_FIELDS.contains(name)) {
                throw ApiError.invalid(ApiError.pointer(name), "unknown field \"" + name + "\"; the fields are "
                        + String.join(", ", CHAT_FIELDS));
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        String system = text(json, "system", false);
        if (system != null) {
            instructions.add(Instruction.of(system));
        }
        List<Message> messages = new ArrayList<>();
        boolean hasPrompt = json.has("prompt");
        boolean hasMessages = json.has("messages");
        if (hasPrompt == hasMessages) {
            throw ApiError.badRequest((hasPrompt ? "give either \"prompt\" or \"messages\", not both"
                    : "the body needs \"messages\" or \"prompt\"") + ": " + CHAT_BODY);
        }
        if (hasPrompt) {
            messages.add(Message.user(text(json, "prompt", true)));
        } else {
            readMessages(json.get("messages"), instructions, messages);
        }
        String model = text(json, "model", false);
        Integer maxTokens = null;
        JsonNode max = json.get("maxTokens");
        if (max != null && !max.isNull()) {
            Long whole = RequestJson.wholeNumber(max, 1, Integer.MAX_VALUE);
            if (whole == null) {
                throw ApiError.invalid("/maxTokens", "\"maxTokens\" must be a whole number from 1 to "
                        + Integer.MAX_VALUE + ", not " + max);
            }
            maxTokens = whole.intValue();
        }
        Double temperature = null;
        JsonNode temp = json.get("temperature");
        if (temp != null && !temp.isNull()) {
            if (!temp.isNumber() || temp.asDouble() < 0 || temp.asDouble() > MAX_TEMPERATURE) {
                throw ApiError.invalid("/temperature", "\"temperature\" must be a number from 0 to "
                        + MAX_TEMPERATURE + ", not "
                        + temp);
            }
            temperature = temp.asDouble();
        }
        GenerationParams params = new GenerationParams(maxTokens, temperature, null, List.of(), null);
        return new ChatRequest(model, instructions, messages, List.of(), null, null, null, params, null, Map.of());
    }

    /** {@code user} and {@code assistant} turns in order; {@code system} turns become instructions. */
    private static void readMessages(JsonNode array, List<Instruction> instructions, List<Message> messages)
            throws ApiError {
        if (!array.isArray() || array.isEmpty()) {
            throw ApiError.invalid("/messages", "\"messages\" must be a non-empty array of {\"role\",\"content\"}: "
                    + CHAT_BODY);
        }
        for (int i = 0; i < array.size(); i++) {
            String field = "messages[" + i + "]";
            String index = Integer.toString(i);
            JsonNode message = array.get(i);
            if (!message.isObject()) {
                throw ApiError.invalid(ApiError.pointer("messages", index), "\"" + field
                        + "\" must be an object {\"role\",\"content\"}, not " + message);
            }
            String role = text(message, "role", field + ".role", ApiError.pointer("messages", index, "role"), true);
            String content = text(message, "content", field + ".content",
                    ApiError.pointer("messages", index, "content"), true);
            switch (role.toLowerCase(Locale.ROOT)) {
                case "user" -> messages.add(Message.user(content));
                case "assistant" -> messages.add(Message.assistant(content));
                case "system" -> instructions.add(Instruction.of(content));
                default -> throw ApiError.invalid(ApiError.pointer("messages", index, "role"), "\"" + field
                        + ".role\" must be user, assistant or system, not '"
                        + role + "'");
            }
        }
        if (messages.isEmpty()) {
            throw ApiError.invalid("/messages", "\"messages\" needs at least one user or assistant message");
        }
    }

    private static String text(JsonNode object, String name, boolean required) throws ApiError {
        return text(object, name, name, ApiError.pointer(name), required);
    }

    /**
     * A string field ({@code field} names it in messages, {@code pointer} in the error's {@code field}); absent or
     * null is null unless required, anything else but a string is a 400.
     */
    private static String text(JsonNode object, String name, String field, String pointer, boolean required)
            throws ApiError {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.invalid(pointer, "\"" + field + "\" is missing: " + CHAT_BODY);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.invalid(pointer, "\"" + field + "\" must be a string, not " + value.getNodeType().name()
                    .toLowerCase(Locale.ROOT));
        }
        if (required && value.asText().isBlank()) {
            throw ApiError.invalid(pointer, "\"" + field + "\" is empty");
        }
        return value.asText();
    }

    private static JsonNode jsonObject(byte[] body) throws ApiError {
        JsonNode node = RequestJson.read(JSON.reader(), body, CHAT_BODY);
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object: " + CHAT_BODY);
        }
        return node;
    }
}
