package org.mlarouter.cli;

import java.util.concurrent.Callable;

import org.apache.kafka.common.config.ConfigDef;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.serde.AvroSerdeConfig;
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
            root.out.println(key.name + " (default: " + HelpTexts.defaultOf(key) + ")");
            root.out.println("    " + key.documentation);
        }
        root.out.println();
        root.out.println("Keys of the router's serde (with another " + RouterConfig.VALUE_SERDE_CLASS_CONFIG + ", its own keys pass to it unchecked):");
        for (final ConfigDef.ConfigKey key : AvroSerdeConfig.configDef().configKeys().values()) {
            root.out.println(key.name + " (default: " + HelpTexts.defaultOf(key) + ")");
            root.out.println("    " + key.documentation);
        }
        return 0;
    }
}
