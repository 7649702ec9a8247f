/** Kling emulator. */
@NullMarked
package io.klingrelay.klingemulator;

import org.jspecify.annotations.NullMarked;
