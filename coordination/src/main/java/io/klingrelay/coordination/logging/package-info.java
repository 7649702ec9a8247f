/** The request context every service puts in the logging MDC (issue 8, STYLE.md 8). */
@NullMarked
package io.klingrelay.coordination.logging;

import org.jspecify.annotations.NullMarked;
