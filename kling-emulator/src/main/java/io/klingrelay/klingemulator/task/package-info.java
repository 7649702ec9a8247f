/** Kling emulator: task. */
@NullMarked
package io.klingrelay.klingemulator.task;

import org.jspecify.annotations.NullMarked;
