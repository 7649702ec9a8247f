/**
 * A container healthcheck every service image carries on its classpath ({@code common} is in all of
 * them, {@code coordination} only in the four pipeline services): compose calls it in images
 * without a shell or curl.
 */
@NullMarked
package io.klingrelay.common.health;

import org.jspecify.annotations.NullMarked;
