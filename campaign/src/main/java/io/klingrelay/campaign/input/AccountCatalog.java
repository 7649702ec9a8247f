package io.klingrelay.campaign.input;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.klingclient.request.RequestValidator;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Kling accounts the deployment has (ids and concurrency limits; never keys), so that the
 * submitter's own {@link RequestValidator} can check {@code accountId} and an image request's
 * {@code n} against them. From {@code endpoints.json} ({@code accounts}) or {@code --accounts};
 * when unknown, every account id in the file is taken as configured with the largest {@code n}
 * Kling allows (9), and only the deployment will tell.
 *
 * @param concurrencyLimits account id → concurrency limit, or null when the accounts are unknown
 */
public record AccountCatalog(@Nullable Map<String, Integer> concurrencyLimits) {

    private static final int MAX_IMAGES = 9;
    private static final String NO_KEY = "not-used-by-validation";

    public AccountCatalog {
        concurrencyLimits = concurrencyLimits == null ? null : Map.copyOf(concurrencyLimits);
    }

    /** @return a catalog that does not know the deployment's accounts */
    public static AccountCatalog unknown() {
        return new AccountCatalog(null);
    }

    /**
     * @param spec {@code id[:limit],id[:limit]...}, e.g. {@code brand-a:5,brand-b}; a missing limit is 5
     * @return the catalog
     * @throws IllegalArgumentException when a limit is not a positive integer
     */
    public static AccountCatalog parse(String spec) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (String item : spec.split(",")) {
            String[] parts = item.strip().split(":", 2);
            if (!parts[0].isEmpty()) {
                limits.put(parts[0], parts.length == 2 ? positive(parts[1], item) : 5);
            }
        }
        return new AccountCatalog(limits);
    }

    private static int positive(String text, String item) {
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--accounts: '" + item + "' needs a positive limit, e.g. brand-a:5");
    }

    /** @return whether the deployment's accounts are known (else account ids are not checked) */
    public boolean isKnown() {
        return concurrencyLimits != null;
    }

    /**
     * @param request the request about to be validated
     * @return the submitter's validator, configured with this catalog's accounts
     */
    public RequestValidator validatorFor(GenerationRequest request) {
        return new RequestValidator(properties(accountsFor(request)));
    }

    private List<KlingAccount> accountsFor(GenerationRequest request) {
        if (concurrencyLimits != null) {
            return concurrencyLimits.entrySet().stream()
                    .map(entry -> new KlingAccount(entry.getKey(), NO_KEY, NO_KEY, entry.getValue())).toList();
        }
        String accountId = request.accountId();
        return accountId != null && RedisKeys.isSafeId(accountId)
                ? List.of(new KlingAccount(accountId, NO_KEY, NO_KEY, MAX_IMAGES)) : List.of();
    }

    private static KlingProperties properties(List<KlingAccount> accounts) {
        return new KlingProperties(URI.create("http://validation.invalid"), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(60), accounts);
    }
}
