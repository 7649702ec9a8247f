/** The shape every service's metrics catalogue is built from (STYLE.md 15). */
@NullMarked
package io.klingrelay.coordination.metrics;

import org.jspecify.annotations.NullMarked;
