/** The Redis layer under every ledger: the Lua scripts, the due-claim step, settings and the durability check. */
@NullMarked
package io.klingrelay.coordination.redis;

import org.jspecify.annotations.NullMarked;
