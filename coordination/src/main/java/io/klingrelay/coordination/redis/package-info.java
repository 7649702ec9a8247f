/** Wiring: the Redis key layout, the Lua scripts and the beans services import. */
@NullMarked
package io.klingrelay.coordination.redis;

import org.jspecify.annotations.NullMarked;
