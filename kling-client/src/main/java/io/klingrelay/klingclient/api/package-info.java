/** The Kling /v1 create and query calls, the response envelope and error classification (kling-api.md §4, §10, §12). */
@NullMarked
package io.klingrelay.klingclient.api;

import org.jspecify.annotations.NullMarked;
