package io.klingrelay.klingemulator.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Start-up configuration of the emulator, {@code klingrelay.emulator.*}. Values that can change at
 * run time are copied into {@link EmulatorSettings} and changed there through {@code /admin}.
 *
 * @param accounts the Kling accounts the emulator knows (AccessKey/SecretKey pairs)
 * @param timeScale factor applied to every phase duration (0.01 makes a 120 s video take 1.2 s)
 * @param phases how long tasks stay in {@code submitted} and {@code processing}, per product
 * @param publicBaseUrl base of the asset URLs handed out; blank = {@code http://127.0.0.1:<server.port>}
 * @param assetRetention how long results (and their URLs) live after {@code updated_at}; Kling: 30 days
 * @param assetSigningSecret HMAC key for asset URL signatures; blank = a random key per start
 * @param assetKeyPairId value of the {@code Key-Pair-Id} query parameter of asset URLs
 * @param assetCacheSize upper bound of the in-memory cache of generated asset bytes
 * @param callbacks callback delivery settings
 * @param duplicateExternalTaskId reaction to a reused {@code external_task_id} within one account
 * @param jwtSkew clock-skew tolerance applied to the JWT {@code nbf} and {@code exp} claims
 * @param failures how tests make tasks end {@code failed}
 * @param unknownModelCode code answered for an unknown {@code model_name}: 1201 (HTTP 400) or 1203 (404)
 * @param unknownTaskCode code answered for a query whose id matches no task: 1203 (404) or 1201 (400)
 * @param taskInfoOnCreate whether the create reply carries {@code task_info} (false = Feb 2025 shape)
 */
@Validated
@ConfigurationProperties("klingrelay.emulator")
public record EmulatorProperties(
        @Valid @DefaultValue List<Account> accounts,
        @DecimalMin(value = "0", inclusive = false) @DefaultValue("1.0") double timeScale,
        @Valid @DefaultValue Phases phases,
        @DefaultValue("") String publicBaseUrl,
        @NotNull @DefaultValue("30d") Duration assetRetention,
        @DefaultValue("") String assetSigningSecret,
        @NotBlank @DefaultValue("K2EMULATORKEYPAIR") String assetKeyPairId,
        @NotNull @DefaultValue("64MB") DataSize assetCacheSize,
        @Valid @DefaultValue Callbacks callbacks,
        @NotNull @DefaultValue("reject") DuplicatePolicy duplicateExternalTaskId,
        @NotNull @DefaultValue("5s") Duration jwtSkew,
        @Valid @DefaultValue Failures failures,
        @DefaultValue("1201") int unknownModelCode,
        @DefaultValue("1203") int unknownTaskCode,
        @DefaultValue("true") boolean taskInfoOnCreate) {

    public EmulatorProperties {
        requireUniqueAccounts(accounts);
        if (unknownModelCode != 1201 && unknownModelCode != 1203) {
            throw new IllegalArgumentException("klingrelay.emulator.unknown-model-code must be 1201 or 1203");
        }
        if (unknownTaskCode != 1201 && unknownTaskCode != 1203) {
            throw new IllegalArgumentException("klingrelay.emulator.unknown-task-code must be 1201 or 1203");
        }
    }

    private static void requireUniqueAccounts(List<Account> accounts) {
        Set<String> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Account account : accounts) {
            if (!ids.add(account.id()) || !keys.add(account.accessKey())) {
                throw new IllegalArgumentException(
                        "klingrelay.emulator.accounts: duplicate id or access-key " + account.id());
            }
        }
    }

    /**
     * One Kling account.
     *
     * @param id our name for the account (stats and admin API)
     * @param accessKey the AccessKey, expected as JWT {@code iss}
     * @param secretKey the SecretKey; its raw UTF-8 bytes are the HS256 key
     * @param concurrency running-task slots (video = 1, image = n)
     */
    public record Account(
            @NotBlank String id,
            @NotBlank String accessKey,
            @NotBlank String secretKey,
            @Min(1) @DefaultValue("5") int concurrency) {

        @Override
        public String toString() {
            return "Account[id=" + id + ", accessKey=" + accessKey + ", secretKey=****, concurrency=" + concurrency + "]";
        }
    }

    /**
     * Phase durations (before {@code timeScale}) per product.
     *
     * @param text2video {@code /v1/videos/text2video}; default 2 s submitted, 120 s processing
     * @param image2video {@code /v1/videos/image2video}; default 2 s submitted, 120 s processing
     * @param imageGenerations {@code /v1/images/generations}; default 2 s submitted, 20 s processing
     */
    public record Phases(@Nullable Phase text2video, @Nullable Phase image2video, @Nullable Phase imageGenerations) {

        private static final Duration SUBMITTED = Duration.ofSeconds(2);

        public Phases {
            text2video = Phase.orDefaults(text2video, SUBMITTED, Duration.ofSeconds(120));
            image2video = Phase.orDefaults(image2video, SUBMITTED, Duration.ofSeconds(120));
            imageGenerations = Phase.orDefaults(imageGenerations, SUBMITTED, Duration.ofSeconds(20));
        }
    }

    /**
     * @param submitted time spent in {@code submitted}
     * @param processing time spent in {@code processing}
     */
    public record Phase(@Nullable Duration submitted, @Nullable Duration processing) {

        static Phase orDefaults(@Nullable Phase phase, Duration submitted, Duration processing) {
            if (phase == null) {
                return new Phase(submitted, processing);
            }
            return new Phase(
                    phase.submitted() == null ? submitted : phase.submitted(),
                    phase.processing() == null ? processing : phase.processing());
        }
    }

    /**
     * @param enabled whether callbacks are sent at all (changeable at run time)
     * @param intermediate whether {@code submitted}/{@code processing} are delivered (terminal always is)
     * @param retries extra attempts after a failed delivery
     * @param backoff wait before the first retry; doubles per retry (not scaled by time-scale)
     * @param timeout per-attempt request timeout
     * @param webhookSecret optional Standard Webhooks secret {@code whsec_…}; blank = unsigned (pre 2026-08)
     */
    public record Callbacks(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean intermediate,
            @Min(0) @DefaultValue("3") int retries,
            @NotNull @DefaultValue("1s") Duration backoff,
            @NotNull @DefaultValue("10s") Duration timeout,
            @DefaultValue("") String webhookSecret) {

        public Callbacks {
            if (!webhookSecret.isBlank() && !webhookSecret.startsWith("whsec_")) {
                throw new IllegalArgumentException("klingrelay.emulator.callbacks.webhook-secret must start with whsec_");
            }
        }

        @Override
        public String toString() {
            return "Callbacks[enabled=" + enabled + ", intermediate=" + intermediate + ", retries=" + retries
                    + ", backoff=" + backoff + ", timeout=" + timeout + ", webhookSecret=****]";
        }
    }

    /**
     * @param rate probability in [0,1] that a task ends {@code failed}
     * @param promptMarker a prompt containing this text always fails; blank = off
     * @param message the {@code task_status_msg} of a failed task
     */
    public record Failures(
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0") double rate,
            @DefaultValue("[[fail]]") String promptMarker,
            @NotBlank @DefaultValue("Failure to pass the risk control system") String message) {
    }

    /** Reaction to a create whose {@code external_task_id} was used before by the same account. */
    public enum DuplicatePolicy {
        /** 400 / 1201. */
        REJECT,
        /** 200 with the earlier task; nothing new is created. */
        RETURN_EXISTING,
        /** A new task; a query by that external id returns the newest. */
        ACCEPT_NEW;

        /** @return the configuration spelling, e.g. {@code accept-new} */
        @JsonValue
        public String kebab() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Accepts {@code accept-new} as well as {@code ACCEPT_NEW}. */
        @JsonCreator
        public static DuplicatePolicy parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    @Override
    public String toString() {
        return "EmulatorProperties[accounts=" + accounts + ", timeScale=" + timeScale + ", callbacks=" + callbacks + "]";
    }
}
