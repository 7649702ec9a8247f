/** Kling emulator: the product registry and per-product request validation (kling-api.md §6–§8). */
@NullMarked
package io.klingrelay.klingemulator.product;

import org.jspecify.annotations.NullMarked;
