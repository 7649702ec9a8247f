/** The campaign command line: input. */
@NullMarked
package io.klingrelay.campaign.input;

import org.jspecify.annotations.NullMarked;
