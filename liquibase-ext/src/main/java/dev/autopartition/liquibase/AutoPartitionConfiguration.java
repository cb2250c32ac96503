package dev.autopartition.liquibase;

import liquibase.configuration.AutoloadedConfigurations;
import liquibase.configuration.ConfigurationDefinition;

/**
 * Settings that are not per change, read through Liquibase's configuration: system properties ({@code
 * -Dliquibase.autopartition.now=2022-01-10T00:00:00Z}), environment variables ({@code LIQUIBASE_AUTOPARTITION_NOW}),
 * {@code liquibase.properties}, CLI global options ({@code --autopartition-now}) and the Maven plugin's {@code
 * <systemProperties>}.
 */
public final class AutoPartitionConfiguration implements AutoloadedConfigurations {
    /** The prefix of every key. */
    public static final String PREFIX = "liquibase.autopartition";

    /** The schema of the engine's own catalog. */
    public static final ConfigurationDefinition<String> CATALOG_SCHEMA;

    /** How long one statement waits for a lock before it gives up and is retried, unless a change says otherwise. */
    public static final ConfigurationDefinition<String> LOCK_TIMEOUT;

    /** How many tries a step gets, unless a change says otherwise. */
    public static final ConfigurationDefinition<Integer> ATTEMPTS;

    /** Rows per batch when rows move out of a default partition, unless a change says otherwise. */
    public static final ConfigurationDefinition<Integer> BATCH_SIZE;

    /** A fixed "now" for the engine's clock (an ISO-8601 instant), for tests and demonstrations. */
    public static final ConfigurationDefinition<String> NOW;

    static {
        ConfigurationDefinition.Builder builder = new ConfigurationDefinition.Builder(PREFIX);
        CATALOG_SCHEMA = builder.define("catalogSchema", String.class)
                .setDescription("Schema of the autopartition engine's own catalog")
                .setDefaultValue("autopartition")
                .build();
        LOCK_TIMEOUT = builder.define("lockTimeout", String.class)
                .setDescription("Default lock timeout of one DDL statement before it is retried, such as 500ms or 2s;"
                        + " a change's lockTimeout attribute overrides it")
                .setDefaultValue("500ms")
                .build();
        ATTEMPTS = builder.define("attempts", Integer.class)
                .setDescription("Default number of tries of a step whose locks were not granted in time")
                .setDefaultValue(5)
                .build();
        BATCH_SIZE = builder.define("batchSize", Integer.class)
                .setDescription("Default rows per batch when rows move out of a default partition")
                .setDefaultValue(10_000)
                .build();
        NOW = builder.define("now", String.class)
                .setDescription("A fixed current time for the engine (ISO-8601 instant such as 2022-01-10T00:00:00Z),"
                        + " for tests and demonstrations; unset means the system clock")
                .build();
    }
}
