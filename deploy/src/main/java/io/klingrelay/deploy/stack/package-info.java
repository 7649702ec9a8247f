/**
 * The local stack: real Kafka, Redis and s3proxy processes, the Kling emulator (or the real Kling
 * API) and the four services, each a child process configured through environment variables.
 */
@NullMarked
package io.klingrelay.deploy.stack;

import org.jspecify.annotations.NullMarked;
