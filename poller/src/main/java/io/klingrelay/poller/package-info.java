/**
 * The poller service: finds tasks whose terminal callback is late or lost and asks Kling for
 * their status (ARCHITECTURE.md "Permits live across the asynchronous gap").
 */
@NullMarked
package io.klingrelay.poller;

import org.jspecify.annotations.NullMarked;
