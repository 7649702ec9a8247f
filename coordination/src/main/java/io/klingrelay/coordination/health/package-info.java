/**
 * Health of the shared backing services for the readiness probe ({@code /actuator/health/readiness}):
 * Kafka here, Redis through Spring Boot's own indicator.
 */
@NullMarked
package io.klingrelay.coordination.health;

import org.jspecify.annotations.NullMarked;
