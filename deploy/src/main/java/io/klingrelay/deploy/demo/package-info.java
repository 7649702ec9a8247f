/**
 * The {@code demo} command: publishes a campaign file to {@code klingrelay.requests}, follows every
 * request through the pipeline's topics, and prints progress, a result table and a summary line.
 */
@NullMarked
package io.klingrelay.deploy.demo;

import org.jspecify.annotations.NullMarked;
