/**
 * The task ledger: recorded tasks, the atomic status proposal that lets exactly one terminal
 * event through, and the pending set the poller works from.
 */
@NullMarked
package io.klingrelay.coordination.task;

import org.jspecify.annotations.NullMarked;
