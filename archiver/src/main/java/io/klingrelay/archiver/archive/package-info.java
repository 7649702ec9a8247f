/**
 * Archiving one completed task: object keys, the object store port and its MinIO adapter, the
 * retry budget, the Kafka listener and the outcome events.
 */
@NullMarked
package io.klingrelay.archiver.archive;

import org.jspecify.annotations.NullMarked;
