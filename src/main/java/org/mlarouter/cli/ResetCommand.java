package org.mlarouter.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.clients.ApplicationReset;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router reset}: process the input again from the beginning. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Reset the router so it processes its input again from the beginning, like kafka-streams-application-reset:"
            + " deletes its consumer group, internal topics and local state. The router must be stopped."})
final class ResetCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Mixin
    SettingsOptions options;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Kafka Streams state.dir of the router (default: the state.dir setting, else Kafka Streams' default).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        final RouterSettings settings = options.settings(root.environment);
        final Path state = stateDir != null ? stateDir
                : Path.of(settings.get(StreamsConfig.STATE_DIR_CONFIG) != null ? settings.get(StreamsConfig.STATE_DIR_CONFIG)
                : System.getProperty("java.io.tmpdir") + "/kafka-streams");
        final ApplicationReset.Result result;
        try (Admin admin = new Clients(settings).admin()) {
            result = new ApplicationReset(admin, settings.applicationId()).reset(state);
        }
        root.out.println("Reset " + settings.applicationId() + ": consumer group " + (result.groupDeleted ? "deleted" : "absent")
                + ", internal topics deleted " + result.topicsDeleted + ", local state " + (result.stateDeleted ? "deleted" : "absent")
                + " (" + state.resolve(settings.applicationId()) + ")");
        return 0;
    }
}
