/**
 * Kling emulator: the 2026 path-per-model API (kling-api.md §15): its models and their rules, body validation and
 * the products that put its tasks on the shared task engine.
 */
@NullMarked
package io.klingrelay.klingemulator.newapi;

import org.jspecify.annotations.NullMarked;
