/** Kafka topic and header names, one constant per row of the ARCHITECTURE.md topic table. */
@NullMarked
package io.klingrelay.common.kafka;

import org.jspecify.annotations.NullMarked;
