/**
 * The archiver's work queue in Redis: completed tasks parked by the Kafka listener, taken by the
 * workers earliest URL expiry first, retried later without blocking anything, each taken one held
 * under a renewed lease so a crashed archiver loses nothing.
 */
@NullMarked
package io.klingrelay.archiver.queue;

import org.jspecify.annotations.NullMarked;
