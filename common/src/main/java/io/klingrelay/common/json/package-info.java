/** The one JSON mapper configuration for events outside a Spring context (CLI, tests). */
@NullMarked
package io.klingrelay.common.json;

import org.jspecify.annotations.NullMarked;
