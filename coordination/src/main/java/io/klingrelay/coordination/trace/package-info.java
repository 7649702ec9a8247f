/**
 * Carrying a request's trace across the gaps Kafka headers cannot bridge: its wait in Redis
 * before dispatch, and its task's wait at Kling before the callback or the poll.
 */
@NullMarked
package io.klingrelay.coordination.trace;

import org.jspecify.annotations.NullMarked;
