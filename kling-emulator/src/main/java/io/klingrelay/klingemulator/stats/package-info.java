/**
 * Kling emulator: counters and the task timeline for the admin API. EmulatorStats and TaskTimeline subscribe to the task engine's lifecycle events (TaskEvents); depends on task, config.
 */
@NullMarked
package io.klingrelay.klingemulator.stats;

import org.jspecify.annotations.NullMarked;
