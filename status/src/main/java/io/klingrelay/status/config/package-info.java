/** Configuration: the properties record, the Kafka Streams set-up and the beans. */
@NullMarked
package io.klingrelay.status.config;

import org.jspecify.annotations.NullMarked;
