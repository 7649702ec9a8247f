/**
 * The local stack: real Kafka, Redis and s3proxy processes, the Kling emulator (or the real Kling
 * API), the four services and the status service, each a child process configured through environment variables.
 */
@NullMarked
package io.klingrelay.deploy.stack;

import org.jspecify.annotations.NullMarked;
