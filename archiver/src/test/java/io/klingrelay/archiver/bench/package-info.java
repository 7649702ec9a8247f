/** The archive benchmark (issue 10): {@code ./klingrelay bench archive}, not part of the test suite. */
@NullMarked
package io.klingrelay.archiver.bench;

import org.jspecify.annotations.NullMarked;
