/**
 * The sweep over the ledger's pending tasks: query Kling, propose the observed status, publish
 * on news, renew permit leases of running tasks and reschedule them.
 */
@NullMarked
package io.klingrelay.poller.polling;

import org.jspecify.annotations.NullMarked;
