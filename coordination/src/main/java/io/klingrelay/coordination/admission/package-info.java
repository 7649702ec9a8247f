/**
 * Per-account admission settings and views (ARCHITECTURE.md "Error classes have different
 * budgets"): configured and effective limits, operator and account-error pauses, paused
 * campaigns, and the state operators and gauges read.
 */
@NullMarked
package io.klingrelay.coordination.admission;

import org.jspecify.annotations.NullMarked;
