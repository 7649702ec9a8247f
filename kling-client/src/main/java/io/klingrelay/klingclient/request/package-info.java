/** Checks of a generation request against Kling's rules, before anything is sent to Kling. */
@NullMarked
package io.klingrelay.klingclient.request;

import org.jspecify.annotations.NullMarked;
