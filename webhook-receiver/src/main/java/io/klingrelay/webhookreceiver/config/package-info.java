/** Wiring: properties, the callback authenticator, the Kafka producer and the handler. */
@NullMarked
package io.klingrelay.webhookreceiver.config;

import org.jspecify.annotations.NullMarked;
