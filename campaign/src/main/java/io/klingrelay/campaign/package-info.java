/** The campaign command line. */
@NullMarked
package io.klingrelay.campaign;

import org.jspecify.annotations.NullMarked;
