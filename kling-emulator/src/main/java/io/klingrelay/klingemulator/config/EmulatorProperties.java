package io.klingrelay.klingemulator.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
 * @param jwtMaxLifetime longest accepted JWT lifetime, {@code exp − nbf} (or {@code exp − now} without
 *     {@code nbf}); longer → 401 / 1002. {@code 0s} (default) = unlimited. Kling documents no limit (§3.2 ❓);
 *     the official samples live 1805 s ({@code nbf} = now − 5 s, {@code exp} = now + 1800 s)
 * @param failures how tests make tasks end {@code failed}
 * @param unknownModelCode code answered for an unknown {@code model_name}: 1201 (HTTP 400) or 1203 (404)
 * @param unknownTaskCode code answered for a query whose id matches no task: 1203 (404) or 1201 (400)
 * @param taskInfoOnCreate whether the create reply carries {@code task_info} (false = Feb 2025 shape)
 * @param era {@code 2026} (results carry {@code final_unit_deduction}, {@code final_balance_deduction}) or
 *     {@code 2025} (pre-2026 shape without them); changeable at run time
 * @param assets generated result files
 * @param housekeepingInterval how often ended tasks past retention are purged
 * @param unsupportedParameters {@code ignore} (default) or {@code reject} (1201): {@code cfg_scale} sent to a
 *     v2.x model and {@code mode} sent to {@code kling-v2-master} (§19 item 20; Kling does not document which)
 * @param taskResultBeforeSuccess {@code omit} (default) or {@code empty} (all three arrays, empty) while a
 *     task is not {@code succeed} (§19 item 32)
 * @param concurrencyScope what one concurrency limit covers: {@code account} (default: all running tasks of the
 *     account against {@code accounts[i].concurrency}), {@code pack-type} (video / image / virtual_try_on apart,
 *     limit = highest concurrency among the online packs of that type) or {@code model-pack-type} (also per
 *     {@code model_name}); §13, §19 item 54
 * @param newApi the 2026 path-per-model surface (kling-api.md §15): its units table
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
        @NotNull @DefaultValue("0s") Duration jwtMaxLifetime,
        @Valid @DefaultValue Failures failures,
        @DefaultValue("1201") int unknownModelCode,
        @DefaultValue("1203") int unknownTaskCode,
        @DefaultValue("true") boolean taskInfoOnCreate,
        @NotBlank @DefaultValue("2026") String era,
        @Valid @DefaultValue Assets assets,
        @NotNull @DefaultValue("1m") Duration housekeepingInterval,
        @NotBlank @DefaultValue("ignore") String unsupportedParameters,
        @NotBlank @DefaultValue("omit") String taskResultBeforeSuccess,
        @NotBlank @DefaultValue("account") String concurrencyScope,
        // ---- 2026 "new API" (issue 9), kept apart so other changes to this record merge cleanly
        @Valid @DefaultValue NewApi newApi) {

    public EmulatorProperties {
        if ((jwtSkew != null && jwtSkew.isNegative()) || (jwtMaxLifetime != null && jwtMaxLifetime.isNegative())) {
            throw new IllegalArgumentException(
                    "klingrelay.emulator.jwt-skew and klingrelay.emulator.jwt-max-lifetime must not be negative");
        }
        if (!List.of("ignore", "reject").contains(unsupportedParameters)) {
            throw new IllegalArgumentException("klingrelay.emulator.unsupported-parameters must be ignore or reject");
        }
        if (!List.of("account", "pack-type", "model-pack-type").contains(concurrencyScope)) {
            throw new IllegalArgumentException(
                    "klingrelay.emulator.concurrency-scope must be account, pack-type or model-pack-type");
        }
        if (!List.of("omit", "empty").contains(taskResultBeforeSuccess)) {
            throw new IllegalArgumentException("klingrelay.emulator.task-result-before-success must be omit or empty");
        }
        if (!"2025".equals(era) && !"2026".equals(era)) {
            throw new IllegalArgumentException("klingrelay.emulator.era must be 2025 or 2026");
        }
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
            boolean keysUnique = account.keys().stream().allMatch(key -> keys.add(key.accessKey()));
            if (!ids.add(account.id()) || !keysUnique) {
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
     * @param apiKey optional 2026 static API key accepted as {@code Authorization: Bearer <apiKey>}; blank = off
     * @param packs resource packs generation consumes units from; empty = unlimited units
     * @param additionalKeys further AccessKey/SecretKey pairs of the same account (they share its slots and packs)
     * @param additionalApiKeys further 2026 static API keys of the same account (kling-api.md §3.3), accepted like
     *     {@code apiKey} on both surfaces
     */
    public record Account(
            @NotBlank String id,
            @NotBlank String accessKey,
            @NotBlank String secretKey,
            @Min(1) @DefaultValue("5") int concurrency,
            @DefaultValue("") String apiKey,
            @Valid @DefaultValue List<Pack> packs,
            @Valid @DefaultValue List<Key> additionalKeys,
            @DefaultValue List<String> additionalApiKeys) {

        /** @return an account without API key and packs */
        public static Account of(String id, String accessKey, String secretKey, int concurrency) {
            return new Account(id, accessKey, secretKey, concurrency, "", List.of(), List.of(), List.of());
        }

        /** @return {@link #apiKey} (when set) followed by {@link #additionalApiKeys}, blanks dropped */
        public List<String> apiKeys() {
            List<String> all = new ArrayList<>();
            if (!apiKey.isBlank()) {
                all.add(apiKey);
            }
            additionalApiKeys.stream().filter(key -> !key.isBlank()).forEach(all::add);
            return all;
        }

        /** @return the main key pair followed by {@link #additionalKeys} */
        public List<Key> keys() {
            List<Key> all = new ArrayList<>();
            all.add(new Key(accessKey, secretKey));
            all.addAll(additionalKeys);
            return all;
        }

        @Override
        public String toString() {
            return "Account[id=" + id + ", accessKey=" + accessKey + ", secretKey=****, apiKey=****, concurrency="
                    + concurrency + ", packs=" + packs + "]";
        }
    }

    /**
     * One more key pair of an account.
     *
     * @param accessKey expected as JWT {@code iss}
     * @param secretKey its raw UTF-8 bytes are the HS256 key
     */
    public record Key(@NotBlank String accessKey, @NotBlank String secretKey) {

        @Override
        public String toString() {
            return "Key[accessKey=" + accessKey + ", secretKey=****]";
        }
    }

    /**
     * A prepaid resource pack (kling-api.md §9 {@code /account/costs}).
     *
     * @param name {@code resource_pack_name}
     * @param type {@code video}, {@code image} or {@code virtual_try_on}: which tasks draw units from it
     * @param units {@code total_quantity}; generation consumes {@code final_unit_deduction} units
     * @param validity how long after start-up the pack stays {@code online} before it is {@code expired}
     * @param concurrency the pack's concurrency; with {@code concurrency-scope} {@code pack-type} or
     *     {@code model-pack-type} the limit is the highest among the online packs of a type (5 + 10 → 10)
     */
    public record Pack(
            @NotBlank String name,
            @NotBlank @DefaultValue("video") String type,
            @DecimalMin("0") @DefaultValue("1000") double units,
            @NotNull @DefaultValue("30d") Duration validity,
            @Nullable Integer concurrency) {

        public Pack {
            // the admin API binds with Jackson, which knows no @DefaultValue
            type = type == null ? "video" : type;
            validity = validity == null ? Duration.ofDays(30) : validity;
        }
    }

    /**
     * Generated result files (README "Generated media").
     *
     * @param videoSize total size of every served MP4: a real clip followed by a {@code free} box padding it to
     *     this size, streamed in chunks and never held in memory; 0 = the clip's natural size (tens of KB)
     * @param videoScaleDivisor each side of Kling's output resolution (§14: std 720p, pro 1080p, 4k 2160p at the
     *     task's aspect ratio) is divided by this: 4 (default) makes 1080p 16:9 a 480×270 clip; 1 = full size
     *     (slow: every frame is encoded in pure Java)
     * @param videoFps frames per second of generated videos (1–30); their duration is always the task's
     * @param cdn an optional HTTPS endpoint under a host name that serves the asset URLs, like Kling's CDN
     * @param imageShortSide short side of generated PNG images in pixels (16–4096), the long side follows the
     *     {@code aspect_ratio}; default 360, above Kling's input minimum of 300 (§4.3). Smaller values are for
     *     benchmarks that need tiny but valid images: 132 makes a 1:1 image a 132×132 PNG of about 1 KiB (no longer
     *     a valid image-to-video input)
     */
    public record Assets(
            @NotNull @DefaultValue("0B") DataSize videoSize,
            @Min(1) @DefaultValue("4") int videoScaleDivisor,
            @Min(1) @Max(30) @DefaultValue("2") int videoFps,
            @Valid @DefaultValue Cdn cdn,
            @Min(16) @Max(4096) @DefaultValue("360") int imageShortSide) {
    }

    /**
     * An extra HTTPS connector that serves only {@code /assets/**} under a host name, with a self-signed
     * certificate generated at start-up for that name (README "CDN mode"). When enabled, asset URLs are
     * {@code https://<host>:<port>/assets/...} (unless {@code public-base-url} is set).
     *
     * @param enabled off by default
     * @param host the DNS name in the URLs and the certificate's subject alternative name; clients resolve it to the
     *     emulator (e.g. an {@code /etc/hosts} line)
     * @param port TCP port of the HTTPS connector; 0 = a free port chosen at start-up
     * @param certificateFile where the certificate (PEM) is written for clients to trust; blank = not written (it is
     *     always served at {@code GET /admin/cdn/certificate})
     */
    public record Cdn(
            @DefaultValue("false") boolean enabled,
            @NotBlank @DefaultValue("cdn.kling-emulator.test") String host,
            @Min(0) @Max(65535) @DefaultValue("0") int port,
            @DefaultValue("") String certificateFile) {
    }

    /**
     * Phase durations (before {@code timeScale}) per product.
     *
     * @param text2video {@code /v1/videos/text2video}; default 2 s submitted, 120 s processing
     * @param image2video {@code /v1/videos/image2video}; default 2 s submitted, 120 s processing
     * @param imageGenerations {@code /v1/images/generations}; default 2 s submitted, 20 s processing
     * @param multiImage2video {@code /v1/videos/multi-image2video}; default 2 s / 120 s
     * @param videoExtend {@code /v1/videos/video-extend}; default 2 s / 120 s
     * @param multiImage2image {@code /v1/images/multi-image2image}; default 2 s / 20 s
     * @param virtualTryOn {@code /v1/images/kolors-virtual-try-on}; default 2 s / 20 s
     */
    public record Phases(@Nullable Phase text2video, @Nullable Phase image2video, @Nullable Phase imageGenerations,
            @Nullable Phase multiImage2video, @Nullable Phase videoExtend, @Nullable Phase multiImage2image,
            @Nullable Phase virtualTryOn) {

        private static final Duration SUBMITTED = Duration.ofSeconds(2);
        private static final Duration VIDEO = Duration.ofSeconds(120);
        private static final Duration IMAGE = Duration.ofSeconds(20);

        public Phases {
            text2video = Phase.orDefaults(text2video, SUBMITTED, VIDEO);
            image2video = Phase.orDefaults(image2video, SUBMITTED, VIDEO);
            imageGenerations = Phase.orDefaults(imageGenerations, SUBMITTED, IMAGE);
            multiImage2video = Phase.orDefaults(multiImage2video, SUBMITTED, VIDEO);
            videoExtend = Phase.orDefaults(videoExtend, SUBMITTED, VIDEO);
            multiImage2image = Phase.orDefaults(multiImage2image, SUBMITTED, IMAGE);
            virtualTryOn = Phase.orDefaults(virtualTryOn, SUBMITTED, IMAGE);
        }
    }

    /**
     * Phase durations and how the processing time of one task is drawn.
     *
     * @param submitted time spent in {@code submitted}
     * @param processing time spent in {@code processing} (the median for {@code log-normal})
     * @param distribution {@code fixed} (default), {@code uniform} (processing × [1−spread, 1+spread]) or
     *     {@code log-normal} (processing × e^(spread·N(0,1)))
     * @param spread width of the distribution; 0 = fixed
     */
    public record Phase(@Nullable Duration submitted, @Nullable Duration processing,
            @Nullable Distribution distribution, @Nullable Double spread) {

        static Phase orDefaults(@Nullable Phase phase, Duration submitted, Duration processing) {
            if (phase == null) {
                return new Phase(submitted, processing, Distribution.FIXED, 0.0);
            }
            return new Phase(
                    phase.submitted() == null ? submitted : phase.submitted(),
                    phase.processing() == null ? processing : phase.processing(),
                    phase.distribution() == null ? Distribution.FIXED : phase.distribution(),
                    phase.spread() == null ? 0.0 : phase.spread());
        }

        /** @return one draw of the processing time, before the global time scale */
        public Duration drawProcessing() {
            long nanos = Objects.requireNonNull(processing).toNanos();
            double s = spread == null ? 0 : spread;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            double factor = switch (distribution == null ? Distribution.FIXED : distribution) {
                case FIXED -> 1;
                case UNIFORM -> 1 + s * (2 * random.nextDouble() - 1);
                case LOG_NORMAL -> Math.exp(s * random.nextGaussian());
            };
            return Duration.ofNanos((long) (nanos * Math.max(0, factor)));
        }
    }

    /** Shape of the processing-time distribution. */
    public enum Distribution {
        FIXED,
        UNIFORM,
        LOG_NORMAL
    }

    /**
     * @param enabled whether callbacks are sent at all (changeable at run time)
     * @param intermediate whether {@code submitted}/{@code processing} are delivered (terminal always is)
     * @param retries extra attempts after a failed delivery
     * @param backoff wait before the first retry; doubles per retry (not scaled by time-scale)
     * @param timeout per-attempt request timeout
     * @param webhookSecret optional Standard Webhooks secret {@code whsec_…}; blank = unsigned (pre 2026-08)
     * @param previousWebhookSecret during a secret rotation, the old secret: every callback then carries two
     *     space-separated {@code v1,} signatures (new first); blank = no rotation
     */
    public record Callbacks(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean intermediate,
            @Min(0) @DefaultValue("3") int retries,
            @NotNull @DefaultValue("1s") Duration backoff,
            @NotNull @DefaultValue("10s") Duration timeout,
            @DefaultValue("") String webhookSecret,
            @DefaultValue("") String previousWebhookSecret) {

        public Callbacks {
            if (!webhookSecret.isBlank() && !webhookSecret.startsWith("whsec_")) {
                throw new IllegalArgumentException("klingrelay.emulator.callbacks.webhook-secret must start with whsec_");
            }
            if (!previousWebhookSecret.isBlank() && !previousWebhookSecret.startsWith("whsec_")) {
                throw new IllegalArgumentException(
                        "klingrelay.emulator.callbacks.previous-webhook-secret must start with whsec_");
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

    /**
     * The 2026 path-per-model surface (kling-api.md §15).
     *
     * @param unitRates units charged per second of output, per model, kind, resolution and audio; rows given here
     *     replace the built-in row with the same key, the other built-in rows stay (the defaults are Kling's video
     *     pricing page of 2026, see the emulator README)
     */
    public record NewApi(@Valid @DefaultValue List<UnitRate> unitRates) {
    }

    /**
     * One row of the units table.
     *
     * @param model the path model, e.g. {@code kling-3.0}
     * @param kind {@code video} (text-, image-to-video and omni-video), {@code video-input} (omni-video with a
     *     {@code feature_video} or {@code base_video}) or {@code motion-control}
     * @param resolution {@code 720p}, {@code 1080p} or {@code 4k}
     * @param audio whether native audio is generated ({@code settings.audio: native})
     * @param perSecond units per second of output video
     */
    public record UnitRate(@NotBlank String model, @NotBlank @DefaultValue("video") String kind,
            @NotBlank String resolution, @DefaultValue("false") boolean audio,
            @NotNull @DecimalMin("0") BigDecimal perSecond) {

        public UnitRate {
            if (!List.of("video", "video-input", "motion-control").contains(kind)) {
                throw new IllegalArgumentException("klingrelay.emulator.new-api.unit-rates[].kind must be video, "
                        + "video-input or motion-control, not " + kind);
            }
            if (!List.of("720p", "1080p", "4k").contains(resolution)) {
                throw new IllegalArgumentException(
                        "klingrelay.emulator.new-api.unit-rates[].resolution must be 720p, 1080p or 4k, not " + resolution);
            }
        }
    }

    @Override
    public String toString() {
        return "EmulatorProperties[accounts=" + accounts + ", timeScale=" + timeScale + ", callbacks=" + callbacks + "]";
    }
}
