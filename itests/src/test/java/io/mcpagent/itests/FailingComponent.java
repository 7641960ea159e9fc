package io.mcpagent.itests;

/** The implementation of the component in {@link TestJars#failingComponentBundle}: it cannot be activated. */
public final class FailingComponent {
    static final String FAILURE = "FailingComponent refuses to be activated, as the test asks";

    public FailingComponent() {
        throw new IllegalStateException(FAILURE);
    }
}
