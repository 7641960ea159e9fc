package io.mcpagent.api.llm;

import java.util.Arrays;
import java.util.Objects;

/** Where the bytes of a {@link MediaPart} are: inline, at a URL, or a file the provider already holds. */
public sealed interface MediaSource {

    record Inline(byte[] data) implements MediaSource {
        public Inline {
            data = Objects.requireNonNull(data, "data").clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Inline other && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Inline[" + data.length + " bytes]";
        }
    }

    record Url(String url) implements MediaSource {
        public Url {
            Objects.requireNonNull(url, "url");
        }
    }

    /** A provider-side file: {@code provider} names the family, {@code reference} is its id or gs:// / s3:// URI. */
    record ProviderFileRef(String provider, String reference) implements MediaSource {
        public ProviderFileRef {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(reference, "reference");
        }
    }
}
