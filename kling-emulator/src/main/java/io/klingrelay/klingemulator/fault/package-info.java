/** Kling emulator: fault injection, per account or global, changeable at run time through {@code /admin/faults}. */
@NullMarked
package io.klingrelay.klingemulator.fault;

import org.jspecify.annotations.NullMarked;
