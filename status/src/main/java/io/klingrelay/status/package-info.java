/**
 * The status service: the read model of every request and campaign, built from the pipeline's
 * topics with Kafka Streams (state stores changelogged to Kafka), answered over HTTP by the
 * instance that owns a key, with Server-Sent Events and a campaign page (ARCHITECTURE.md
 * "Components", issue 11 "Status read model").
 */
@NullMarked
package io.klingrelay.status;

import org.jspecify.annotations.NullMarked;
