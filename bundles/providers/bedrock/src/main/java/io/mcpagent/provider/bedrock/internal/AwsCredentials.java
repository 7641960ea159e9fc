package io.mcpagent.provider.bedrock.internal;

import java.util.Objects;

/** An access key pair and, for temporary credentials, its session token (null otherwise). Never printed. */
record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

    AwsCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        sessionToken = sessionToken == null || sessionToken.isBlank() ? null : sessionToken;
    }

    @Override
    public String toString() {
        return "AwsCredentials[****" + (sessionToken == null ? "" : ", temporary") + "]";
    }
}
