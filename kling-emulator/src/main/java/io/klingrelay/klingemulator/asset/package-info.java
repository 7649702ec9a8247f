/** Kling emulator: asset. */
@NullMarked
package io.klingrelay.klingemulator.asset;

import org.jspecify.annotations.NullMarked;
