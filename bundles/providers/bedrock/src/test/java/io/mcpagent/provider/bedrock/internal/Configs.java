package io.mcpagent.provider.bedrock.internal;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import io.mcpagent.provider.testkit.ConfigAnnotations;

/** {@link BedrockConfig}s and providers for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private Configs() {
    }

    static BedrockConfig config(Map<String, Object> overrides) {
        return ConfigAnnotations.of(BedrockConfig.class, overrides);
    }

    /** A clock that moves one second on at every reading, from 2026-11-24T10:00:00Z. */
    static Supplier<Instant> ticking() {
        AtomicLong seconds = new AtomicLong(Instant.parse("2026-11-24T10:00:00Z").getEpochSecond());
        return () -> Instant.ofEpochSecond(seconds.getAndIncrement());
    }

    /** A provider against {@code base} with the given environment variables and configuration overrides. */
    static BedrockProvider provider(URI base, Map<String, String> environment, Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(overrides);
        all.putIfAbsent("baseUrl", base.toString());
        Function<String, String> lookup = environment::get;
        return BedrockProvider.create("bedrock-test", config(all), lookup, ticking());
    }

    /** A SigV4 provider with {@link #ACCESS_KEY_ID} and {@code secret} (null: not set) in the AWS_* variables. */
    static BedrockProvider provider(URI base, String secret, Map<String, Object> overrides) {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        if (secret != null) {
            environment.put("AWS_SECRET_ACCESS_KEY", secret);
        }
        return provider(base, environment, overrides);
    }

    static BedrockProvider provider(URI base) {
        return provider(base, SECRET, Map.of());
    }

    /** The credentials {@link #provider(URI)} signs with, for {@link FakeBedrock#expectSignedBy}. */
    static AwsCredentials signer() {
        return new AwsCredentials(ACCESS_KEY_ID, SECRET, null);
    }
}
