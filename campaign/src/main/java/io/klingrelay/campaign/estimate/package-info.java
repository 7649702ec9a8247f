/** The campaign command line: estimate. */
@NullMarked
package io.klingrelay.campaign.estimate;

import org.jspecify.annotations.NullMarked;
