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

    /** The rule of MCP server names, for every factory's ids: paths and commands address an instance by its id. */
    @Test
    void anIdThatIsNoNameIsANamingProblemSayingWhereItComesFrom() {
        assertEquals("provider id 'my provider' must match [A-Za-z0-9][A-Za-z0-9_.-]{0,47} (it is the part after '~'"
                + " in the file name)", FactoryInstanceId.ofFile(FACTORY, "my provider").namingProblem("provider id"));
        assertEquals("server name 'a/b' must match [A-Za-z0-9][A-Za-z0-9_.-]{0,47} (it is the configuration's id)",
                FactoryInstanceId.of(FACTORY, GENERATED, "a/b").namingProblem("server name"));
        assertEquals(null, FactoryInstanceId.ofFile(FACTORY, "ollama-box_2.local").namingProblem("provider id"));
        assertEquals(FactoryInstanceId.of(FACTORY, FACTORY + "~main", "backup").problem(),
                FactoryInstanceId.of(FACTORY, FACTORY + "~main", "backup").namingProblem("provider id"),
                "a PID and an id naming two instances is the problem, whatever the id");
    }
}
