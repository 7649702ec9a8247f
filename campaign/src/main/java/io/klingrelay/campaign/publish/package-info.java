/** The campaign command line: publish. */
@NullMarked
package io.klingrelay.campaign.publish;

import org.jspecify.annotations.NullMarked;
