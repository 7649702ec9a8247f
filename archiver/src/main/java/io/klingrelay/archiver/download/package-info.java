/**
 * The SSRF-safe asset download: scheme and host allow-list, private-address refusal at DNS
 * time, manual redirects re-checked hop by hop, and a size cap.
 */
@NullMarked
package io.klingrelay.archiver.download;

import org.jspecify.annotations.NullMarked;
