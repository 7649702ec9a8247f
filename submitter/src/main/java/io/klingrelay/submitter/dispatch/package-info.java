/** The dispatcher: takes queued requests with their permits, round-robin over accounts, and creates Kling tasks exactly once. */
@NullMarked
package io.klingrelay.submitter.dispatch;

import org.jspecify.annotations.NullMarked;
