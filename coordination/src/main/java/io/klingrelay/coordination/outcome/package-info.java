/**
 * The single outcome of every request as a recorded fact (ARCHITECTURE.md "Every request ends
 * with exactly one outcome event"): every path that ends a request claims its outcome atomically,
 * with the event it will publish, before publishing it; nothing can claim a second one; an outbox
 * republishes a claimed outcome whose claimant died before Kafka acknowledged it.
 */
@NullMarked
package io.klingrelay.coordination.outcome;

import org.jspecify.annotations.NullMarked;
