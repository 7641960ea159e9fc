package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one rule by which a factory configuration names what it makes, files and Web Console alike. */
class FactoryInstanceIdTest {
    private static final String FACTORY = "io.mcpagent.provider.acme";
    private static final String GENERATED = FACTORY + ".2af164b8-abd9-4901-843a-01ad74a18e68";

    @Test
    void aFileIsNamedAfterTheTildeAsBeforeWithOrWithoutAnIdSayingTheSame() {
        assertEquals(new FactoryInstanceId(FACTORY + "~main", "main", false, null),
                FactoryInstanceId.of(FACTORY, FACTORY + "~main", ""));
        assertEquals(new FactoryInstanceId(FACTORY + "~main", "main", false, null),
                FactoryInstanceId.of(FACTORY, FACTORY + "~main", " main "));
    }

    @Test
    void aGeneratedPidIsNamedByItsId() {
        assertEquals(new FactoryInstanceId(GENERATED, "main", true, null),
                FactoryInstanceId.of(FACTORY, Map.of("service.pid", GENERATED, "id", " main ")));
    }

    /** Neither is picked: the configuration is refused naming both, its plugin keeping the file's name. */
    @Test
    void aPidAndAnIdNamingTwoInstancesAreRefusedNamingBoth() {
        assertEquals(new FactoryInstanceId(FACTORY + "~main", "main", false, "its PID names it 'main' (the part after"
                + " '~') and its id 'backup': remove id, or make it 'main'"),
                FactoryInstanceId.of(FACTORY, FACTORY + "~main", "backup"));
    }

    /** It keeps the whole PID as its id, as before, and is refused saying how to name it. */
    @Test
    void aGeneratedPidWithoutAnIdIsRefusedSayingToSetIt() {
        assertEquals(new FactoryInstanceId(GENERATED, GENERATED, false, "its PID is a generated one (the Web Console"
                + " gives one to a configuration it creates), which names nothing: set id (the name) in its form in the"
                + " Web Console, or configure it in etc/io.mcpagent.provider.acme~<name>.cfg.json instead"),
                FactoryInstanceId.of(FACTORY, Map.of("service.pid", GENERATED, "id", "  ")));
    }

    /** Any other PID, one of another factory or none: named by it, as before, and not refused for it. */
    @Test
    void anotherPidIsItsOwnId() {
        assertEquals(new FactoryInstanceId("", "", false, null), FactoryInstanceId.of(FACTORY, Map.of()));
        assertEquals(new FactoryInstanceId(FACTORY, FACTORY, false, null), FactoryInstanceId.of(FACTORY, FACTORY, ""));
    }
}
