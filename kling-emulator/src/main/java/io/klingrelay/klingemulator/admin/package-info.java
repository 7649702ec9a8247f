/** Kling emulator: admin. */
@NullMarked
package io.klingrelay.klingemulator.admin;

import org.jspecify.annotations.NullMarked;
