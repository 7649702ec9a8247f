/** Kling emulator: callback. */
@NullMarked
package io.klingrelay.klingemulator.callback;

import org.jspecify.annotations.NullMarked;
