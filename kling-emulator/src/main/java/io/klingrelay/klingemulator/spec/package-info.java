/**
 * Kling emulator: what a task is asked to produce: Product (a create endpoint's rules as the engine sees them), TaskSpec and OutputKind. Below task, so the engine needs no request-validation code; depends on wire, config.
 */
@NullMarked
package io.klingrelay.klingemulator.spec;

import org.jspecify.annotations.NullMarked;
