/** Intake: reads klingrelay.requests, validates, and parks valid requests; invalid ones fail with a reason and a dead-letter record. */
@NullMarked
package io.klingrelay.submitter.intake;

import org.jspecify.annotations.NullMarked;
