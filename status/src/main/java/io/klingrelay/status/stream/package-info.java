/** The Kafka Streams topology: events re-keyed by account and request id into the request store, request views re-keyed by campaign into the campaign stores. */
@NullMarked
package io.klingrelay.status.stream;

import org.jspecify.annotations.NullMarked;
