/** Account and endpoint configuration shared by every service that talks to Kling. */
@NullMarked
package io.klingrelay.klingclient.config;

import org.jspecify.annotations.NullMarked;
