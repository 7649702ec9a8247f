/**
 * The {@code klingrelay} command line: {@code demo} starts the whole pipeline on this machine
 * (see {@link io.klingrelay.deploy.stack.LocalStack}) and runs a sample campaign through it.
 */
@NullMarked
package io.klingrelay.deploy;

import org.jspecify.annotations.NullMarked;
