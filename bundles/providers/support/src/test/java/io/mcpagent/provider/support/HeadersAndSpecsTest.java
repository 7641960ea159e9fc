package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.PriceTier;
import io.mcpagent.api.llm.RateLimitInfo;

class HeadersAndSpecsTest {

    @Test
    void rateLimitDurationsInEveryFormTheApisSend() {
        assertEquals(Duration.ofMillis(6), RateLimitHeaders.duration("6ms"));
        assertEquals(Duration.ofMillis(3_723_500), RateLimitHeaders.duration("1h2m3.5s"));
        assertEquals(Duration.ofMillis(2500), RateLimitHeaders.duration(" 2.5 "));
        assertEquals(Duration.ofSeconds(90), RateLimitHeaders.duration("1m30s"));
        assertNull(RateLimitHeaders.duration(""));
        assertNull(RateLimitHeaders.duration("soon"));
        assertNull(RateLimitHeaders.duration("1m30"), "a number without its unit after a unit");
        assertNull(RateLimitHeaders.duration("1.2.3"));
    }

    private static HttpHeaders headers(Map<String, String> values) {
        return HttpHeaders.of(values.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> List.of(e.getValue()))), (a, b) -> true);
    }

    @Test
    void retryHints() {
        assertEquals(Duration.ofMillis(250), RetryHeaders.retryAfter(headers(Map.of("retry-after-ms", "250", "retry-after", "9"))));
        assertEquals(Duration.ofMillis(1500), RetryHeaders.retryAfter(headers(Map.of("retry-after", "1.5"))));
        assertNull(RetryHeaders.retryAfter(headers(Map.of("retry-after", "soon"))));
        assertEquals(Optional.of(false), RetryHeaders.shouldRetry(headers(Map.of("x-should-retry", "false"))));
        assertEquals(Optional.empty(), RetryHeaders.shouldRetry(headers(Map.of())));
    }

    @Test
    void retryHintsThatAreNoWaitCountAsNoneAndHugeOnesAsADay() {
        for (String garbage : List.of("-5", "NaN", "Infinity", "-Infinity", "0x10", "1e3", "5 seconds")) {
            assertNull(RetryHeaders.retryAfter(headers(Map.of("retry-after", garbage))), garbage);
            assertNull(RetryHeaders.retryAfter(headers(Map.of("retry-after-ms", garbage))), "ms " + garbage);
        }
        assertEquals(Duration.ofSeconds(7), RetryHeaders.retryAfter(headers(Map.of("retry-after-ms", "-1",
                "retry-after", "7"))), "a garbage retry-after-ms leaves retry-after to speak");
        assertEquals(RetryHeaders.LONGEST_HINT, RetryHeaders.retryAfter(headers(Map.of("retry-after",
                "9".repeat(400)))));
        assertEquals(RetryHeaders.LONGEST_HINT, RetryHeaders.retryAfter(headers(Map.of("retry-after-ms",
                "99999999999999999999"))));
        assertEquals(RetryHeaders.LONGEST_HINT, RetryHeaders.retryAfter(headers(Map.of("retry-after",
                "Wed, 21 Oct 2099 07:28:00 GMT"))));
        assertEquals(Duration.ZERO, RetryHeaders.retryAfter(headers(Map.of("retry-after",
                "Wed, 21 Oct 2015 07:28:00 GMT"))));
    }

    @Test
    void rateLimitResetsBeyondADayAreADaySoTheResetInstantFits() {
        assertEquals(RetryHeaders.LONGEST_HINT, RateLimitHeaders.duration("99999999999999999999h"));
        assertEquals(RetryHeaders.LONGEST_HINT, RateLimitHeaders.duration("1e999"));
        assertNull(RateLimitHeaders.duration("-5"));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        RateLimitInfo info = RateLimitHeaders.parse(headers(Map.of("x-ratelimit-limit-requests", "5",
                "x-ratelimit-reset-requests", "99999999999999999999h")), now);
        assertEquals(now.plus(RetryHeaders.LONGEST_HINT), info.requestsReset());
    }

    @Test
    void retryPolicyPrefersTheServerHintAndCapsTheBackoff() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(2), policy.delay(1, Duration.ofSeconds(2)));
        for (int attempt = 1; attempt < 10; attempt++) {
            assertTrue(policy.delay(attempt, null).toMillis() <= 400);
        }
        assertNull(policy.delay(1, Duration.ofMinutes(10)), "a longer wait than maxRetryAfter is not retried here");
    }

    @Test
    void rateLimitsOfOpenAiAndAnthropic() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        RateLimitInfo openai = RateLimitHeaders.parse(headers(Map.of("x-ratelimit-limit-requests", "500",
                "x-ratelimit-remaining-requests", "499", "x-ratelimit-reset-requests", "1m6.5s",
                "x-ratelimit-limit-tokens", "30000", "x-ratelimit-reset-tokens", "20ms")), now);
        assertEquals(500L, openai.requestLimit());
        assertEquals(499L, openai.requestsRemaining());
        assertEquals(now.plusMillis(66_500), openai.requestsReset());
        assertEquals(now.plusMillis(20), openai.tokensReset());
        RateLimitInfo anthropic = RateLimitHeaders.parse(headers(Map.of("anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-reset", "2026-01-01T00:00:30Z")), now);
        assertEquals(50L, anthropic.requestLimit());
        assertEquals(Instant.parse("2026-01-01T00:00:30Z"), anthropic.requestsReset());
        assertNull(RateLimitHeaders.parse(headers(Map.of()), now));
    }

    @Test
    void modelSpecs() {
        ModelInfo model = ModelSpecs.parse("gpt-4.1-mini;tools,vision,structured_output;1047576;0.40;1.60");
        assertEquals(Set.of(ModelCapability.TOOLS, ModelCapability.VISION, ModelCapability.STRUCTURED_OUTPUT), model.capabilities());
        assertEquals(1047576, model.contextWindow());
        assertEquals(new BigDecimal("1.60"), model.outputPricePerMillion());
        assertEquals("local", ModelSpecs.parse("local").id());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.parse("m;telepathy"));
        assertTrue(bad.getMessage().contains("capability 'telepathy' unknown"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSpecs.parse("m;;lots"));
        assertThrows(IllegalArgumentException.class, () -> ModelSpecs.parse("m;;1;-2"));
    }

    @Test
    void aModelSpecWithMoreThanNineFieldsIsRefusedRatherThanCutShort() {
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.parse(new String[] {"m;tools;128000;2.50;10.00;1.25;3.125;5;>200000:5:20;0.5"}));
        assertEquals("model spec 'm;tools;128000;2.50;10.00;1.25;3.125;5;>200000:5:20;0.5': 10 fields where at most 9"
                + " are read: id;capabilities;contextWindow;inputPrice;outputPrice;cacheReadPrice;cacheWritePrice;"
                + "cacheWrite1hPrice;tiers", extra.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSpecs.parse("m;tools;vision;128000;2;8"));
        assertEquals(new BigDecimal("8"), ModelSpecs.parse("m;tools;128000;2;8").outputPricePerMillion());
    }

    @Test
    void aModelSpecMayPriceCacheReadsAndWrites() {
        ModelInfo claude = ModelSpecs.parse("claude-sonnet;tools;200000;3.00;15.00;0.30;3.75");
        assertEquals(new BigDecimal("3.00"), claude.inputPricePerMillion());
        assertEquals(new BigDecimal("15.00"), claude.outputPricePerMillion());
        assertEquals(new BigDecimal("0.30"), claude.cacheReadPricePerMillion());
        assertEquals(new BigDecimal("3.75"), claude.cacheWritePricePerMillion());
        ModelInfo readOnly = ModelSpecs.parse("gpt-4.1-mini;tools;1047576;0.40;1.60;0.10");
        assertEquals(new BigDecimal("0.10"), readOnly.cacheReadPricePerMillion());
        assertNull(readOnly.cacheWritePricePerMillion(), "not given: cache writes cost the input price");
        ModelInfo writeOnly = ModelSpecs.parse("m;;;1;2;;1.25");
        assertNull(writeOnly.cacheReadPricePerMillion());
        assertEquals(new BigDecimal("1.25"), writeOnly.cacheWritePricePerMillion());
        ModelInfo none = ModelSpecs.parse("m;tools;128000;2;8");
        assertNull(none.cacheReadPricePerMillion());
        assertNull(none.cacheWritePricePerMillion());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.parse(new String[] {"m;tools;128000;2;8;-0.2;cheap"}));
        assertEquals("model spec 'm;tools;128000;2;8;-0.2;cheap': cache read price must be within [0, 1000] US dollars"
                + " per million tokens with at most 10 decimal places, was -0.2; cache write price 'cheap' is not a number",
                bad.getMessage());
    }

    @Test
    void aModelSpecMayPriceLongerPromptsInTiers() {
        ModelInfo pro = ModelSpecs.parse("gemini-2.5-pro;tools;1048576;1.25;10.00;0.125;;;>200000:2.50:15.00");
        assertEquals(List.of(new PriceTier(200_000, new BigDecimal("2.50"), new BigDecimal("15.00"))), pro.priceTiers());
        ModelInfo two = ModelSpecs.parse("m;;;1;2;;;;>500000:4:8, >100000:3:6:0.5::7");
        assertEquals(List.of(new PriceTier(100_000, new BigDecimal("3"), new BigDecimal("6"), new BigDecimal("0.5"), null,
                        new BigDecimal("7")), new PriceTier(500_000, new BigDecimal("4"), new BigDecimal("8"))),
                two.priceTiers(), "ordered by threshold");
        assertEquals(List.of(), ModelSpecs.parse("m;;;1;2").priceTiers());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.parse("m;;;1;2;;;;200000:2:4,>lots:2:4,>1:2:-4,>1:2"));
        assertEquals("model spec 'm;;;1;2;;;;200000:2:4,>lots:2:4,>1:2:-4,>1:2': price tier '200000:2:4' is not"
                + " >aboveInputTokens:input:output[:cacheRead[:cacheWrite[:cacheWrite1h]]]; price tier '>lots:2:4': 'lots'"
                + " is not a number of input tokens; tier output price must be within [0, 1000] US dollars per million"
                + " tokens with at most 10 decimal places, was -4; price tier '>1:2' is not"
                + " >aboveInputTokens:input:output[:cacheRead[:cacheWrite[:cacheWrite1h]]]", bad.getMessage());
    }

    @Test
    void aModelSpecMayPriceOneHourCacheWrites() {
        ModelInfo sonnet = ModelSpecs.parse("claude-sonnet-4-5;tools;200000;3.00;15.00;0.30;3.75;6.00");
        assertEquals(new BigDecimal("3.75"), sonnet.cacheWritePricePerMillion());
        assertEquals(new BigDecimal("6.00"), sonnet.cacheWrite1hPricePerMillion());
        assertNull(ModelSpecs.parse("claude-sonnet-4-5;tools;200000;3.00;15.00;0.30;3.75").cacheWrite1hPricePerMillion(),
                "not given: one-hour writes cost the cache write price");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.parse("m;tools;128000;2;8;0.2;2.5;twice"));
        assertEquals("model spec 'm;tools;128000;2;8;0.2;2.5;twice': one-hour cache write price 'twice' is not a number",
                bad.getMessage());
    }

    @Test
    void aPriceBeyondTheRangeTheHistoryCanStoreIsRefusedNamingTheModelAndTheField() {
        // 1e300 per million tokens made costs of 10^306 dollars; 1e-1000 made every cost a thousand digits long
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.parse(new String[] {"fine;tools;8000;1;2", "dear;tools;8000;1e300;2;;1e999999999"}));
        assertEquals("model spec 'dear;tools;8000;1e300;2;;1e999999999': input price must be within [0, 1000] US dollars"
                + " per million tokens with at most 10 decimal places, was 1E+300; cache write price must be within"
                + " [0, 1000] US dollars per million tokens with at most 10 decimal places, was 1E+999999999",
                huge.getMessage());
        IllegalArgumentException fine = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.parse("cheap;;;1;1e-1000"));
        assertEquals("model spec 'cheap;;;1;1e-1000': output price must be within [0, 1000] US dollars per million"
                + " tokens with at most 10 decimal places, was 1E-1000", fine.getMessage());
        assertEquals(new BigDecimal("1000"), ModelSpecs.parse("top;;;1000;0.00875").inputPricePerMillion());
    }

    @Test
    void aModelSpecWithSeveralBadPartsNamesEveryOne() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.parse(new String[] {"m;bogus;-1;abc;1"}));
        assertEquals("model spec 'm;bogus;-1;abc;1': capability 'bogus' unknown; use tools, vision, structured_output,"
                + " streaming, reasoning; context window '-1' must not be negative (leave it empty when unknown);"
                + " input price 'abc' is not a number", bad.getMessage());
        IllegalArgumentException noId = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.parse(";;lots;;-3"));
        assertEquals("model spec ';;lots;;-3': no model id; context window 'lots' is not a number;"
                + " output price must be within [0, 1000] US dollars per million tokens with at most 10 decimal places,"
                + " was -3", noId.getMessage());
        IllegalArgumentException twoBad = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.parse(new String[] {"a;;x", "fine", "b;;;y"}));
        assertEquals("model spec 'a;;x': context window 'x' is not a number;"
                + " model spec 'b;;;y': input price 'y' is not a number", twoBad.getMessage());
    }

    @Test
    void aKeyFileIsReadAgainWhenItChangesAndAMissingOneIsAProblemUntilItIsBack(@TempDir Path temp) throws Exception {
        Path file = Files.writeString(temp.resolve("key"), "first-key\n");
        ApiKeys keys = ApiKeys.resolve("p", null, file.toString(), name -> null);
        assertEquals("first-key", keys.key());
        Files.writeString(file, "second-key\n");
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(2)));
        assertEquals("second-key", keys.key());
        assertEquals(List.of("second-key"), keys.secretValues());
        Files.delete(file);
        assertNull(keys.key());
        assertTrue(keys.problem().contains("cannot read the API key file " + file), keys.problem());
        Files.writeString(file, "third-key\n");
        assertEquals("third-key", keys.key());
        assertNull(keys.problem());
    }

    @Test
    void aKeyWrittenWhereTheFilesPathBelongsIsNotRepeated(@TempDir Path temp) throws IOException {
        String pasted = "sk-proj-Abc123_def456-ghi789jkl012mno345pqr";
        ApiKeys keys = ApiKeys.resolve("main", null, pasted, name -> null);
        assertNull(keys.key());
        assertEquals("cannot read the API key file of provider 'main': apiKeyFile names no file there is (its value is"
                + " not shown, as it may be the key itself): give the path of the file that holds the key", keys.problem());
        assertFalse(keys.problem().contains("Abc123"), keys.problem());
        assertFalse(ApiKeys.resolve("main", null, "sk-\u0000" + pasted, name -> null).problem().contains("Abc123"),
                "a value no path can be is not repeated either");

        Path folder = Files.createDirectory(temp.resolve("keys"));
        String unreadable = ApiKeys.resolve("main", null, folder.toString(), name -> null).problem();
        assertTrue(unreadable.startsWith("cannot read the API key file " + folder + " of provider 'main': "), unreadable);
    }

    @Test
    void aKeyWrittenWhereTheVariableNameBelongsIsRefusedWithoutRepeatingIt() {
        String pasted = "sk-proj-Abc123_def456-ghi789jkl012mno345pqr";
        ApiKeys keys = ApiKeys.resolve("main", pasted, null, name -> null);
        assertNull(keys.key());
        assertEquals("apiKeyEnv of provider 'main' is no environment variable name (letters, digits and '_'): give the"
                + " name of the variable that holds the API key, not the key itself (its value is not shown, as it"
                + " may be the key)", keys.problem());
        assertFalse(keys.problem().contains("Abc123"), keys.problem());
        // a name of that shape is looked up as before, lower case too
        assertEquals("k", ApiKeys.resolve("main", "my_key_2", null, Map.of("my_key_2", "k")::get).key());
    }

    @Test
    void apiKeysFromEnvironmentOrFileAndTheProblemNamed(@TempDir Path temp) throws Exception {
        assertEquals("sk-1", ApiKeys.resolve("p", "MY_KEY", null, Map.of("MY_KEY", " sk-1 \n")::get).key());
        ApiKeys missing = ApiKeys.resolve("p", "MY_KEY", null, name -> null);
        assertNull(missing.key());
        assertTrue(missing.problem().contains("MY_KEY"), missing.problem());
        Path file = Files.writeString(temp.resolve("key"), "from-file\n");
        assertEquals("from-file", ApiKeys.resolve("p", "MY_KEY", file.toString(), name -> "env").key());
        assertTrue(ApiKeys.resolve("p", null, temp.resolve("nope").toString(), n -> null).problem().contains("cannot read"));
        assertEquals("ApiKeys[****]", ApiKeys.resolve("p", "K", null, n -> "secret").toString(), "never printed");
    }
}
