/** Operations: run-time limits, pause, resume and cancel by account or campaign. */
@NullMarked
package io.klingrelay.submitter.admin;

import org.jspecify.annotations.NullMarked;
