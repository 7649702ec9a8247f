/** The error hierarchy: permanent, transient, capacity and account errors, each with its own budget. */
@NullMarked
package io.klingrelay.common.error;

import org.jspecify.annotations.NullMarked;
