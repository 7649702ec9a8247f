/** Callback URLs and their authentication: per-task HMAC tokens and Standard Webhooks signatures (kling-api.md §11). */
@NullMarked
package io.klingrelay.klingclient.callback;

import org.jspecify.annotations.NullMarked;
