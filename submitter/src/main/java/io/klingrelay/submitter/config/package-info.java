/**
 * Submitter settings ({@link io.klingrelay.submitter.config.SubmitterProperties}), read by every
 * package below the wiring; the wiring itself (Kafka templates, the Kling client, topics) lives in
 * the root package, on top, so that no package cycle runs through it.
 */
@NullMarked
package io.klingrelay.submitter.config;

import org.jspecify.annotations.NullMarked;
