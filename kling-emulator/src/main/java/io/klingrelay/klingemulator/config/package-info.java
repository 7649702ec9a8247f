/** Kling emulator: config. */
@NullMarked
package io.klingrelay.klingemulator.config;

import org.jspecify.annotations.NullMarked;
