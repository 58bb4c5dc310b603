package org.mlarouter.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mlarouter.embedded.EmbeddedKafkaBroker;

/**
 * One node (controller and broker) of {@link KafkaCluster}, in a JVM of its own so that a test can SIGKILL it. Prints
 * {@code cluster node N started} once the broker serves; SIGTERM shuts it down cleanly (controlled shutdown).
 *
 * <p>Arguments: node id, client port, controller port, data directory, cluster id, then broker properties as
 * {@code key=value}.
 */
public final class ClusterNode {

    private ClusterNode() {
    }

    public static void main(final String[] args) throws Exception {
        final int nodeId = Integer.parseInt(args[0]);
        final Map<String, String> overrides = new HashMap<>();
        for (final String setting : List.of(args).subList(5, args.length)) {
            final int equals = setting.indexOf('=');
            overrides.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        overrides.put("node.id", String.valueOf(nodeId));
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Path.of(args[3]), overrides, List.of(), args[4]);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "cluster-node-shutdown"));
        System.out.println("cluster node " + nodeId + " started");
        System.out.flush();
    }
}
