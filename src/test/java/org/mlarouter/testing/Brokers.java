package org.mlarouter.testing;

/** What a test's router needs of the Kafka it runs on: one broker ({@link KafkaStack}) or three ({@link KafkaCluster}). */
public interface Brokers {

    String bootstrapServers();

    String registryUrl();

    /** The replication factor of the topics a test creates. */
    short replicationFactor();
}
