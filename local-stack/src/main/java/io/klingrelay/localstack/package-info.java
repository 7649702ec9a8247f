/**
 * Starts real backing services as child processes on loopback: redis-server, s3proxy and a Kafka
 * KRaft broker. Used by {@code deploy}'s launcher and by the integration tests; no Docker.
 */
@NullMarked
package io.klingrelay.localstack;

import org.jspecify.annotations.NullMarked;
