/**
 * Kling emulator: signed status callbacks (kling-api.md §11), sent on the task engine's status-change events;
 * depends on task, stats, config and fault.
 */
@NullMarked
package io.klingrelay.klingemulator.callback;

import org.jspecify.annotations.NullMarked;
