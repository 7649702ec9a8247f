/**
 * Kling emulator: what a task is asked to produce, as the task engine sees it: the
 * {@link io.klingrelay.klingemulator.spec.Product} contract, {@link io.klingrelay.klingemulator.spec.TaskSpec} and
 * {@link io.klingrelay.klingemulator.spec.OutputKind}. Below task, so the engine needs none of the request rules of
 * product and newapi; depends on wire and config only.
 */
@NullMarked
package io.klingrelay.klingemulator.spec;

import org.jspecify.annotations.NullMarked;
