/** Kling emulator: api. */
@NullMarked
package io.klingrelay.klingemulator.api;

import org.jspecify.annotations.NullMarked;
