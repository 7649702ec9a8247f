/** Submitter settings and wiring: Kafka templates, the Kling client, topics. */
@NullMarked
package io.klingrelay.submitter.config;

import org.jspecify.annotations.NullMarked;
