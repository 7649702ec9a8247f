/**
 * Kling emulator: the counters of {@code GET /admin/stats} and the task timeline of {@code GET /admin/timeline}.
 * Both subscribe to the task engine's lifecycle events ({@link io.klingrelay.klingemulator.task.TaskEventListener});
 * depends on task and config only.
 */
@NullMarked
package io.klingrelay.klingemulator.stats;

import org.jspecify.annotations.NullMarked;
