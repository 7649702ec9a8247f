/** The submitter's metrics catalogue: the only place that talks to the MeterRegistry. */
@NullMarked
package io.klingrelay.submitter.metrics;

import org.jspecify.annotations.NullMarked;
