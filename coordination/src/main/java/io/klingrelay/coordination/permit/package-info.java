/**
 * Permit leases seen from outside a dispatch (ARCHITECTURE.md "Permits live across the
 * asynchronous gap"): leases that expired without being renewed or released, their release after
 * reconciliation with Kling, and the count in use.
 */
@NullMarked
package io.klingrelay.coordination.permit;

import org.jspecify.annotations.NullMarked;
