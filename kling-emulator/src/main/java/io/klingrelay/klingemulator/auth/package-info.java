/** Kling emulator: auth. */
@NullMarked
package io.klingrelay.klingemulator.auth;

import org.jspecify.annotations.NullMarked;
