/** Publishing events to Kafka and waiting for the broker's acknowledgement. */
@NullMarked
package io.klingrelay.coordination.publish;

import org.jspecify.annotations.NullMarked;
