/**
 * Per-account waiting queues and weighted permits in Redis (ARCHITECTURE.md "Permits live across
 * the asynchronous gap", "No head-of-line blocking, nothing lost"): park, take-with-permit in one
 * atomic step, record the task, give permits back, retry later, and the safety-net sweep.
 */
@NullMarked
package io.klingrelay.coordination.dispatch;

import org.jspecify.annotations.NullMarked;
