package org.mlarouter.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.runtime.ApplicationReset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router reset}: process the input again from the beginning. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Reset the router so it processes its input again from the beginning, with Kafka's application reset"
            + " tool: the committed offsets of the request and review topics back to the earliest, its internal topics deleted,"
            + " and its local state on this machine deleted. Requests are decided again and review outcomes applied again, so"
            + " a reviewed request keeps its final decision. The router must be stopped."})
final class ResetCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Mixin
    SettingsOptions options;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Kafka Streams state.dir of the router (default: the state.dir setting, else Kafka Streams' default).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        RouterSettings settings = options.reachableSettings(root.environment, false);
        if (stateDir != null) {
            settings = settings.with(Map.of(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
        }
        final ApplicationReset.Result result = new ApplicationReset(settings).reset();
        root.out.println("Reset " + settings.applicationId() + ": offsets on " + String.join(", ", result.inputTopics().subList(0, result.inputTopics().size() - 1)) + " and "
                + result.inputTopics().get(result.inputTopics().size() - 1) + " back to the beginning,"
                + " internal topics deleted " + result.topicsDeleted() + ", local state " + (result.stateDeleted() ? "deleted" : "absent")
                + " (" + result.localState() + ")");
        return 0;
    }
}
