/**
 * Drives and observes a running {@link io.klingrelay.deploy.stack.LocalStack} from outside, as a
 * client would: publishes requests to Kafka, reads the pipeline's events back, and reads the
 * emulator's and the submitter's admin APIs. Shared by the acceptance tests and the benchmark.
 */
@NullMarked
package io.klingrelay.deploy.harness;

import org.jspecify.annotations.NullMarked;
