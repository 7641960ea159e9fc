package io.mcpagent.pattern.swarm.internal;

import java.lang.annotation.Annotation;

/** Configurations as ConfigAdmin would hand them to the component. */
final class TestConfigs {
    private TestConfigs() {
    }

    static SwarmConfig swarm(int maxHandoffs, boolean done) {
        return new SwarmConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SwarmConfig.class;
            }

            @Override
            public int maxHandoffs() {
                return maxHandoffs;
            }

            @Override
            public boolean done() {
                return done;
            }
        };
    }
}
