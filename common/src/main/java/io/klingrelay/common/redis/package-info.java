/** The Redis key layout shared by the submitter, the webhook receiver, the poller and the archiver. */
@NullMarked
package io.klingrelay.common.redis;

import org.jspecify.annotations.NullMarked;
