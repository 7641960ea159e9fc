package io.mcpagent.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationEvent;

import io.mcpagent.api.runtime.EarlyConfigurationListener;

class EarlyConfigurationEventsTest {
    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");

    /** Writes down what it is told, as the audit log records it. */
    private static class Told implements EarlyConfigurationListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void updated(Instant at, String pid, String factoryPid) {
            events.add(at + " updated " + pid + " " + factoryPid);
        }

        @Override
        public void deleted(Instant at, String pid, String factoryPid) {
            events.add(at + " deleted " + pid + " " + factoryPid);
        }

        @Override
        public void refused(Instant at, String pid, String message) {
            events.add(at + " refused " + pid + ": " + message);
        }
    }

    private final EarlyConfigurationEvents early = new EarlyConfigurationEvents(Clock.fixed(AT, ZoneOffset.UTC));

    /**
     * At a start of the runtime a file edited while it was stopped is applied, and a core component refuses its
     * configuration, before the audit log registers: ConfigAdmin and the refusal told them to nobody, so the audit log
     * never recorded them. Held, they are told to it when it comes, in order, once.
     */
    @Test
    void whatHappensBeforeAListenerRegistersIsToldToItOnceInOrder() {
        early.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "io.mcpagent.mcp.catalog.entry~ghost",
                "io.mcpagent.mcp.catalog.entry"));
        early.refused("io.mcpagent.llm.router", "configuration io.mcpagent.llm.router is refused");
        early.configurationEvent(event(ConfigurationEvent.CM_DELETED, "io.mcpagent.history", null));
        early.configurationEvent(event(ConfigurationEvent.CM_LOCATION_CHANGED, "io.mcpagent.history", null));
        Told audit = new Told();

        early.addListener(audit);

        assertEquals(List.of(AT + " updated io.mcpagent.mcp.catalog.entry~ghost io.mcpagent.mcp.catalog.entry",
                AT + " refused io.mcpagent.llm.router: configuration io.mcpagent.llm.router is refused",
                AT + " deleted io.mcpagent.history null"), audit.events);
        Told next = new Told();
        early.addListener(next);
        assertEquals(List.of(), next.events, "told once");
    }

    /** A registered listener is told what happens as it happens: nothing is held then, until it leaves. */
    @Test
    void aRegisteredListenerIsToldWhatHappensAsItHappensAndWhatComesAfterItLeftIsHeldAgain() {
        Told audit = new Told();
        early.addListener(audit);
        early.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "io.mcpagent.http", null));
        early.refused("io.mcpagent.http", "refused");
        early.configurationEvent(event(ConfigurationEvent.CM_LOCATION_CHANGED, "io.mcpagent.http", null));
        early.removeListener(audit);
        early.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "io.mcpagent.history", null));
        Told restarted = new Told();

        early.addListener(restarted);

        assertEquals(List.of(AT + " updated io.mcpagent.http null", AT + " refused io.mcpagent.http: refused"),
                audit.events);
        assertEquals(List.of(AT + " updated io.mcpagent.history null"), restarted.events);
    }

    /**
     * A change made while a listener registers, on another thread, is told to it once, after those held: it waits for
     * the hand-over. Before, the listener heard it from ConfigAdmin itself, which may have counted it as registered
     * before this component did (told twice: held here and heard there, and after a later change) or after (told by
     * neither).
     */
    @Test
    void aChangeMadeWhileAListenerRegistersIsToldToItOnceAfterThoseHeld() throws InterruptedException {
        early.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "io.mcpagent.mcp.catalog.entry~ghost", null));
        Thread[] meanwhile = new Thread[1];
        Told audit = new Told() {
            @Override
            public void updated(Instant at, String pid, String factoryPid) {
                super.updated(at, pid, factoryPid);
                if (meanwhile[0] == null) { // as the held change is told, FileInstall applies another file
                    meanwhile[0] = Thread.ofPlatform().start(() -> early.configurationEvent(
                            event(ConfigurationEvent.CM_UPDATED, "io.mcpagent.http", null)));
                }
            }
        };

        early.addListener(audit);
        meanwhile[0].join();

        assertEquals(List.of(AT + " updated io.mcpagent.mcp.catalog.entry~ghost null",
                AT + " updated io.mcpagent.http null"), audit.events);
    }

    /** A runtime without the history never registers a listener: what is held is bounded. */
    @Test
    void atMostSoManyAreHeld() {
        for (int i = 0; i < EarlyConfigurationEvents.MOST_HELD + 5; i++) {
            early.refused("pid" + i, "refused");
        }
        Told audit = new Told();

        early.addListener(audit);

        assertEquals(EarlyConfigurationEvents.MOST_HELD, audit.events.size());
        assertEquals(AT + " refused pid0: refused", audit.events.get(0), "the first ones, in order");
    }

    private static ConfigurationEvent event(int type, String pid, String factoryPid) {
        ConfigurationEvent event = mock(ConfigurationEvent.class);
        when(event.getType()).thenReturn(type);
        when(event.getPid()).thenReturn(pid);
        when(event.getFactoryPid()).thenReturn(factoryPid);
        return event;
    }
}
