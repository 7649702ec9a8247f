/**
 * The archiver service: copies every generated asset of a succeeded Kling task into object
 * storage before its signed URL expires, and ends each request with exactly one terminal event
 * (ARCHITECTURE.md "Archive against the provider's clock").
 */
@NullMarked
package io.klingrelay.archiver;

import org.jspecify.annotations.NullMarked;
