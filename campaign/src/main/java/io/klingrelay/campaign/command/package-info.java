/** The campaign command line: command. */
@NullMarked
package io.klingrelay.campaign.command;

import org.jspecify.annotations.NullMarked;
