/**
 * Example: a downstream team's consumer of {@code klingrelay.assets.archived} (README, "Topics and
 * payloads"). Copy the package and replace {@link io.klingrelay.examples.archivedconsumer.AssetCatalogue}
 * with your own side effect and {@link io.klingrelay.examples.archivedconsumer.ProcessedEvents} with
 * a store that survives restarts.
 */
@NullMarked
package io.klingrelay.examples.archivedconsumer;

import org.jspecify.annotations.NullMarked;
