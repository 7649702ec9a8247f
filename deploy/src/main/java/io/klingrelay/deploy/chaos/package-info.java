/**
 * The {@code chaos} command (issue 7): a generated campaign through the local stack while every
 * service, Redis and the Kafka broker are killed with SIGKILL and restarted, the emulator injects
 * slow and lost creates and drops and duplicates callbacks, and hostile callbacks and records are
 * thrown at the pipeline; then every topic is read from the beginning and the guarantees are
 * counted ({@link io.klingrelay.deploy.chaos.ChaosReport}). {@code ChaosIT} runs the same
 * {@link io.klingrelay.deploy.chaos.ChaosRun} with a smaller {@link io.klingrelay.deploy.chaos.ChaosPlan}.
 */
@NullMarked
package io.klingrelay.deploy.chaos;

import org.jspecify.annotations.NullMarked;
