/**
 * Poller settings (the poller's, its schedule's and its query budget's), read by the packages
 * below the wiring; the wiring ({@link io.klingrelay.poller.PollerConfiguration}) lives in the root
 * package, on top, so that no package cycle runs through it.
 */
@NullMarked
package io.klingrelay.poller.config;

import org.jspecify.annotations.NullMarked;
