/** Kling emulator: resource packs and {@code GET /account/costs} (kling-api.md §9, §13). */
@NullMarked
package io.klingrelay.klingemulator.account;

import org.jspecify.annotations.NullMarked;
