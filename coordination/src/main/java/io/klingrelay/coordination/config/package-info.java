/**
 * The wiring services import ({@link io.klingrelay.coordination.config.CoordinationConfiguration}):
 * the top of the module, above every package it assembles.
 */
@NullMarked
package io.klingrelay.coordination.config;

import org.jspecify.annotations.NullMarked;
