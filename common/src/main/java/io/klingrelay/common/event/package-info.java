/** Event records published on the klingrelay.* topics; camelCase JSON with schemaVersion and eventId. */
@NullMarked
package io.klingrelay.common.event;

import org.jspecify.annotations.NullMarked;
