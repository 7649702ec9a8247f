package io.klingrelay.submitter.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Submitter settings: {@code klingrelay.submitter.*}.
 *
 * @param permitLease       how long a permit is leased; longer than the slowest generation
 *                          (the poller renews it while Kling reports the task running)
 * @param dispatchLease     how long a request taken for dispatch may stay there before another
 *                          instance's sweep returns it to its queue (its submitter died)
 * @param sweepInterval     period of the safety-net sweep (due retries, expired dispatch leases);
 *                          the normal wake-up is the permit-release message, not this
 * @param maxInFlight       create calls one instance runs at once, all accounts together
 * @param maxAttempts       transient attempts per request before it fails (1303 spends none)
 * @param backoffBase       first transient retry delay; doubles per attempt, full jitter
 * @param backoffMax        cap of the transient retry delay
 * @param capacityBackoff   delay before a request refused with 1303 returns to the head of its queue
 *                          (account pauses after account-level codes: {@code klingrelay.admission.*})
 * @param reconcileBatch    expired permit leases reconciled against Kling per account and sweep
 * @param adminToken        when set (at least 24 characters; e.g. from the environment variable
 *                          {@code KLINGRELAY_SUBMITTER_ADMIN_TOKEN}), every {@code /admin} call must
 *                          carry {@code Authorization: Bearer <token>}; unset, {@code /admin} is open
 *                          (local stacks and tests) and a warning says so at start-up. Never logged.
 * @param maxRequestSize    the largest {@code klingrelay.requests} record value intake accepts; a
 *                          larger one fails (stage {@code validation}, "request is N bytes, over the
 *                          limit of M") before it is parsed. The default, 32 MB, lets through the
 *                          largest request Kling accepts with images inline: an image is at most
 *                          10 MB (kling-api.md §4.3), about 13.4 MB as Base64, and image-to-video
 *                          takes two ({@code image}, {@code image_tail}), plus prompts and fields.
 *                          Kafka's own default limit (topic {@code max.message.bytes}, producer
 *                          {@code max.request.size}: 1 MiB) is far lower, so with Kafka's defaults
 *                          this limit never bites: the broker refuses larger records first. It
 *                          guards the parser and Redis once an operator raises Kafka's limits to
 *                          carry inline images; set it to what the topic allows, or lower. (Images
 *                          given as URLs cost a few hundred bytes.)
 * @param intakeGiveUpAfter how long intake retries a record whose handling failed for a reason
 *                          that may pass (Redis or Kafka unreachable), with back-off from 0.5 s
 *                          doubling to 30 s, before the request fails (stage {@code submission}) and
 *                          the record is dead-lettered; while it retries, the partitions of this
 *                          consumer wait. A permanent error is not retried at all.
 * @param intakeConcurrency consumers of {@code klingrelay.requests} in this instance (default
 *                          {@value #DEFAULT_INTAKE_CONCURRENCY}, the local stack's partition count), each
 *                          with its own partitions and thread: intake parks one record at a time per
 *                          consumer and waits for Redis each time, so one consumer caps intake at one
 *                          Redis round trip per record (about 28 requests/s on the loaded 2-core bench
 *                          machine, issue 10). More consumers than partitions stay idle. Order within a
 *                          partition, and so within an account, is kept; each consumer commits only
 *                          records it finished.
 */
@Validated
@ConfigurationProperties("klingrelay.submitter")
public record SubmitterProperties(
        @NotNull @DefaultValue("2h") Duration permitLease,
        @NotNull @DefaultValue("60s") Duration dispatchLease,
        @NotNull @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue("16") @Min(1) @Max(1024) int maxInFlight,
        @DefaultValue("6") @Min(1) int maxAttempts,
        @NotNull @DefaultValue("1s") Duration backoffBase,
        @NotNull @DefaultValue("60s") Duration backoffMax,
        @NotNull @DefaultValue("2s") Duration capacityBackoff,
        @DefaultValue("20") @Min(1) int reconcileBatch,
        @Nullable String adminToken,
        @NotNull @DefaultValue("32MB") DataSize maxRequestSize,
        @NotNull @DefaultValue("5m") Duration intakeGiveUpAfter,
        @DefaultValue(SubmitterProperties.DEFAULT_INTAKE_CONCURRENCY) @Min(1) @Max(64) int intakeConcurrency) {

    /** The default of {@code klingrelay.submitter.intake-concurrency}, as the listener annotation reads it. */
    public static final String DEFAULT_INTAKE_CONCURRENCY = "3";

    /** The shortest admin token accepted, in characters. */
    public static final int MIN_ADMIN_TOKEN_LENGTH = 24;

    public SubmitterProperties {
        if (dispatchLease != null && permitLease != null && dispatchLease.compareTo(permitLease) >= 0) {
            throw new IllegalArgumentException(
                    "klingrelay.submitter.dispatch-lease must be shorter than klingrelay.submitter.permit-lease");
        }
        if (maxRequestSize != null && maxRequestSize.toBytes() <= 0) {
            throw new IllegalArgumentException("klingrelay.submitter.max-request-size must be positive");
        }
        if (intakeGiveUpAfter != null && (intakeGiveUpAfter.isNegative() || intakeGiveUpAfter.isZero())) {
            throw new IllegalArgumentException("klingrelay.submitter.intake-give-up-after must be positive");
        }
        if (adminToken != null && adminToken.isEmpty()) {
            adminToken = null;
        }
        if (adminToken != null && adminToken.strip().length() < MIN_ADMIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("klingrelay.submitter.admin-token must be at least "
                    + MIN_ADMIN_TOKEN_LENGTH + " characters");
        }
    }

    /** Like the record's, with the admin token masked. */
    @Override
    public String toString() {
        return "SubmitterProperties[permitLease=" + permitLease + ", dispatchLease=" + dispatchLease
                + ", sweepInterval=" + sweepInterval + ", maxInFlight=" + maxInFlight + ", maxAttempts=" + maxAttempts
                + ", backoffBase=" + backoffBase + ", backoffMax=" + backoffMax + ", capacityBackoff="
                + capacityBackoff + ", reconcileBatch=" + reconcileBatch + ", adminToken="
                + (adminToken == null ? "none" : "***") + ", maxRequestSize=" + maxRequestSize
                + ", intakeGiveUpAfter=" + intakeGiveUpAfter + "]";
    }
}
