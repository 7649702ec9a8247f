/**
 * Kling emulator: wire types shared by every layer (the lowest package above config and fault): the response envelope, KlingApiException and the Kling error codes (kling-api.md §3). Depends on nothing else in the emulator.
 */
@NullMarked
package io.klingrelay.klingemulator.wire;

import org.jspecify.annotations.NullMarked;
