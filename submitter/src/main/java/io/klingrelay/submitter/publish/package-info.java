/** Publishing events and dead-letter records, each waited for until Kafka acknowledges it. */
@NullMarked
package io.klingrelay.submitter.publish;

import org.jspecify.annotations.NullMarked;
