/** The campaign command line: remote. */
@NullMarked
package io.klingrelay.campaign.remote;

import org.jspecify.annotations.NullMarked;
