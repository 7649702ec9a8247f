/**
 * Kling emulator: the task engine (store, slots, lifecycle, rendering, signed asset URLs, housekeeping).
 * It announces every create, refusal, status change and purge through
 * {@link io.klingrelay.klingemulator.task.TaskEvents} to the {@link io.klingrelay.klingemulator.task.TaskEventListener}
 * beans above it (timeline, asset cache, stats, callbacks), synchronously and in a fixed order; it depends only on
 * spec, account, auth, wire, config and fault.
 */
@NullMarked
package io.klingrelay.klingemulator.task;

import org.jspecify.annotations.NullMarked;
