package io.klingrelay.coordination.redis;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Redis layout and lifetimes: {@code klingrelay.redis.*}.
 *
 * @param keyPrefix      first segment of every key ({@code klingrelay}); tests use a random one
 * @param seenTtl        how long a request id is remembered for skipping replayed records
 * @param taskRecordTtl  how long a task record lives after its terminal event was published
 * @param staleClaimAge  a status claim (terminal or not) older than this, still unpublished, may be claimed again
 *                       (its claimant died between winning and publishing)
 * @param allowNonPersistent start even when a Redis (master) node runs without AOF persistence
 *                       ({@code aof_enabled:0}), with one loud WARN instead of refusing; for tests and
 *                       throw-away stacks only (see {@link RedisDurabilityCheck})
 */
@Validated
@ConfigurationProperties("klingrelay.redis")
public record CoordinationProperties(
        @NotBlank @DefaultValue("klingrelay") String keyPrefix,
        @NotNull @DefaultValue("30d") Duration seenTtl,
        @NotNull @DefaultValue("7d") Duration taskRecordTtl,
        @NotNull @DefaultValue("30s") Duration staleClaimAge,
        @DefaultValue("false") boolean allowNonPersistent) {
}
