/** The service's metrics catalogue (STYLE.md 15). */
@NullMarked
package io.klingrelay.poller.metrics;

import org.jspecify.annotations.NullMarked;
