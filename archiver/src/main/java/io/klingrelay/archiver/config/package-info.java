/** Configuration: the {@code klingrelay.archiver} properties and the Kafka, S3 and HTTP beans. */
@NullMarked
package io.klingrelay.archiver.config;

import org.jspecify.annotations.NullMarked;
