/** The read model's records: one request's view built from its events, a campaign's totals, and the wire shapes of the HTTP API. */
@NullMarked
package io.klingrelay.status.model;

import org.jspecify.annotations.NullMarked;
