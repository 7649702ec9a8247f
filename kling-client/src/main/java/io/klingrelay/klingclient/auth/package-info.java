/** AK/SK JWT signing for the Kling API (kling-api.md §3.2). */
@NullMarked
package io.klingrelay.klingclient.auth;

import org.jspecify.annotations.NullMarked;
