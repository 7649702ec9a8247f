/**
 * {@code klingrelay up|down|status}: the local stack kept running in the background (a supervisor
 * process holding a {@code LocalStack}), its endpoints in {@code <data-dir>/endpoints.json}, and
 * every process it started recorded by pid in {@code <data-dir>/processes.json}.
 */
@NullMarked
package io.klingrelay.deploy.up;

import org.jspecify.annotations.NullMarked;
