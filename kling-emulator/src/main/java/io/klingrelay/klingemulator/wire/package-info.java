/**
 * Kling emulator: the wire types every layer shares, the response envelope ({@code code}, {@code message},
 * {@code request_id}, {@code data}), {@link io.klingrelay.klingemulator.wire.KlingApiException} and the Kling
 * error codes (kling-api.md §4, §12). The lowest package with config and fault: it imports nothing else.
 */
@NullMarked
package io.klingrelay.klingemulator.wire;

import org.jspecify.annotations.NullMarked;
