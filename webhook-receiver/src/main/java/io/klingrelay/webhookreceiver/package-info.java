/**
 * The webhook receiver service: authenticates Kling callbacks, proposes the observed status to
 * the task ledger and publishes status and terminal events (ARCHITECTURE.md "Callbacks are
 * untrusted until proven").
 */
@NullMarked
package io.klingrelay.webhookreceiver;

import org.jspecify.annotations.NullMarked;
