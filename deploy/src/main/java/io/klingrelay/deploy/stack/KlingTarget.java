package io.klingrelay.deploy.stack;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Which Kling API the services talk to: the local emulator, or the real Kling API. */
public sealed interface KlingTarget {

    /** Environment variable with the real Kling AccessKey; with {@link #SECRET_KEY_ENV} it selects real-Kling mode. */
    String ACCESS_KEY_ENV = "KLING_ACCESS_KEY";
    /** Environment variable with the real Kling SecretKey. */
    String SECRET_KEY_ENV = "KLING_SECRET_KEY";
    /** Environment variable with the real Kling base URL. */
    String BASE_URL_ENV = "KLING_BASE_URL";
    /** Environment variable with the real account's concurrency limit. */
    String CONCURRENCY_ENV = "KLING_CONCURRENCY";
    /** Environment variable with the publicly reachable base URL of the webhook receiver. */
    String CALLBACK_BASE_URL_ENV = "KLINGRELAY_CALLBACK_BASE_URL";
    /** The default real Kling base URL (kling-api.md §3.1). */
    String DEFAULT_BASE_URL = "https://api-singapore.klingai.com";
    /** The account id every campaign account is mapped onto in real-Kling mode. */
    String REAL_ACCOUNT_ID = "default";

    /** @return the accounts the services are configured with */
    List<KlingAccount> accounts();

    /**
     * The local emulator with demo accounts.
     *
     * @param accounts  the emulator's accounts (random keys per run)
     * @param timeScale factor on the emulator's phase durations (0.05: a 120 s video takes 6 s)
     */
    record Emulator(List<KlingAccount> accounts, double timeScale) implements KlingTarget {

        public Emulator {
            accounts = List.copyOf(accounts);
            if (!(timeScale > 0)) {
                throw new IllegalArgumentException("timeScale must be > 0, got " + timeScale);
            }
        }

        /**
         * @param timeScale the emulator's time scale
         * @return the demo's two accounts, {@code brand-aurora} (2 slots) and {@code brand-borealis} (4 slots)
         */
        public static Emulator demo(double timeScale) {
            return new Emulator(List.of(KlingAccount.withRandomKeys("brand-aurora", 2),
                    KlingAccount.withRandomKeys("brand-borealis", 4)), timeScale);
        }
    }

    /**
     * The real Kling API with one account, {@value #REAL_ACCOUNT_ID}.
     *
     * @param baseUrl         e.g. {@value #DEFAULT_BASE_URL}
     * @param account         the user's account
     * @param callbackBaseUrl the webhook receiver's public base URL, or null: callbacks off, the poller does the work
     */
    record RealKling(String baseUrl, KlingAccount account, @Nullable String callbackBaseUrl) implements KlingTarget {

        public RealKling {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(account, "account");
        }

        @Override
        public List<KlingAccount> accounts() {
            return List.of(account);
        }
    }

    /**
     * Real Kling when {@value #ACCESS_KEY_ENV} and {@value #SECRET_KEY_ENV} are both set, else the emulator.
     *
     * @param environment the process environment
     * @param timeScale   the emulator's time scale
     * @return the target
     * @throws IllegalArgumentException when {@value #CONCURRENCY_ENV} is not a positive number
     */
    static KlingTarget fromEnvironment(Map<String, String> environment, double timeScale) {
        String accessKey = nonBlank(environment.get(ACCESS_KEY_ENV));
        String secretKey = nonBlank(environment.get(SECRET_KEY_ENV));
        if (accessKey == null || secretKey == null) {
            return Emulator.demo(timeScale);
        }
        String baseUrl = Objects.requireNonNullElse(nonBlank(environment.get(BASE_URL_ENV)), DEFAULT_BASE_URL);
        int concurrency = Integer.parseInt(Objects.requireNonNullElse(nonBlank(environment.get(CONCURRENCY_ENV)), "5"));
        return new RealKling(baseUrl, new KlingAccount(REAL_ACCOUNT_ID, accessKey, secretKey, concurrency),
                nonBlank(environment.get(CALLBACK_BASE_URL_ENV)));
    }

    private static @Nullable String nonBlank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
