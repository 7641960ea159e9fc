package io.mcpagent.history.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The execution history: {@code etc/io.mcpagent.history.cfg.json}; every property is optional. */
@ObjectClassDefinition(name = "Execution history",
        description = "Records every execution, its decision, agents, steps, usage, cost and outcome in an embedded H2 "
                + "file database or in PostgreSQL.")
public @interface HistoryConfig {

    @AttributeDefinition(description = "JDBC URL: jdbc:h2:... or jdbc:postgresql://host:5432/database; empty = an "
            + "embedded H2 file database <data>/history/executions, where <data> is the framework or system property "
            + "mcpagent.data, else ./data")
    String jdbcUrl() default "";

    @AttributeDefinition(description = "database user (PostgreSQL); empty = the URL's user parameter, or sa for H2")
    String user() default "";

    /**
     * Property {@code .password}: the leading dot keeps it private, so DS does not copy it into the service
     * properties that every bundle can read.
     */
    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "database password (PostgreSQL), property .password; prefer passwordEnv or passwordFile, "
                    + "which keep it out of etc/")
    String _password() default "";

    @AttributeDefinition(description = "name of an environment variable holding the database password; wins over .password")
    String passwordEnv() default "";

    @AttributeDefinition(description = "path of a file holding the database password; wins over passwordEnv and .password")
    String passwordFile() default "";

    @AttributeDefinition(description = "days finished executions are kept (at least 0); 0 = keep them forever", min = "0")
    int retentionDays() default 30;

    @AttributeDefinition(description = "days audit log entries (administrative actions) are kept (at least 0); 0 = keep "
            + "them forever", min = "0")
    int auditRetentionDays() default 365;

    @AttributeDefinition(description = "how many steps may wait to be written; more are dropped (and counted) rather "
            + "than slowing the executions down (at least 1). Execution starts, outcomes and decisions are never dropped",
            min = "1")
    int writeQueueCapacity() default 10_000;

    @AttributeDefinition(description = "minutes between two purges of executions older than retentionDays (at least 1)",
            min = "1")
    int purgeIntervalMinutes() default 60;

    @AttributeDefinition(description = "name of this node in a database several nodes share (PostgreSQL): on start, "
            + "only this node's unfinished executions are marked INTERRUPTED; empty = the host name")
    String nodeId() default "";
}
