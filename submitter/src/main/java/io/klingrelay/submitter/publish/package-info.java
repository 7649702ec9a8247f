/** Dead-letter records, each waited for until Kafka acknowledges it (events go through coordination's publisher). */
@NullMarked
package io.klingrelay.submitter.publish;

import org.jspecify.annotations.NullMarked;
