/**
 * Back-off for transient errors (STYLE.md 11): exponential with full jitter, the one formula every
 * service uses, whether the retry state lives in memory (Spring's {@code RetryTemplate}) or in Redis.
 */
@NullMarked
package io.klingrelay.coordination.retry;

import org.jspecify.annotations.NullMarked;
