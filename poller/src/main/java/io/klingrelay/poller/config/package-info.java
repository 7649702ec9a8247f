/** Wiring: properties, the Kling client, the Kafka producer, the poller and its schedule. */
@NullMarked
package io.klingrelay.poller.config;

import org.jspecify.annotations.NullMarked;
