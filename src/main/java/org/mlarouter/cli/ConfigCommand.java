package org.mlarouter.cli;

import java.util.concurrent.Callable;

import org.apache.kafka.common.config.ConfigDef;
import org.mlarouter.topology.RouterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router config}: the router's own configuration keys. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "List the router's configuration keys with their defaults. Kafka client and Kafka Streams keys are accepted too.")
final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Override
    public Integer call() {
        for (final ConfigDef.ConfigKey key : RouterConfig.configDef().configKeys().values()) {
            root.out.println(key.name + " (default: " + (key.hasDefault() ? ConfigDef.convertToString(key.defaultValue, key.type) : "none") + ")");
            root.out.println("    " + key.documentation);
        }
        root.out.println("Serde keys (passed to the value serde): schema.registry.*, basic.auth.*, auto.register.schemas, avro.*, specific.avro.*");
        return 0;
    }
}
