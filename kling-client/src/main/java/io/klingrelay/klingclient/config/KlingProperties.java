package io.klingrelay.klingclient.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and as whom to call Kling: {@code klingrelay.kling.*}.
 *
 * @param baseUrl        API root without a trailing slash; {@code https://api-singapore.klingai.com}
 *                       by default (kling-api.md §3.1), the emulator's URL in tests and demos; the
 *                       base URL of every account that sets no {@code base-url} of its own
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time allowed for one whole HTTP exchange; a create that times out may
 *                       still have created the task (query by {@code external_task_id} first)
 * @param tokenRefreshMargin re-sign a cached JWT this long before its {@code exp}
 * @param accounts       the configured accounts; ids must be unique. Each bound account carries its
 *                       resolved base URL ({@link KlingAccount#baseUrl()} is never null here)
 */
@Validated
@ConfigurationProperties("klingrelay.kling")
public record KlingProperties(
        @NotNull @DefaultValue("https://api-singapore.klingai.com") URI baseUrl,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration requestTimeout,
        @NotNull @DefaultValue("60s") Duration tokenRefreshMargin,
        @Valid @DefaultValue List<KlingAccount> accounts) {

    public KlingProperties {
        String url = baseUrl == null ? "" : baseUrl.toString();
        if (url.endsWith("/")) {
            baseUrl = URI.create(url.substring(0, url.length() - 1));
        }
        URI defaultBaseUrl = baseUrl;
        accounts = accounts == null ? List.of()
                : accounts.stream().map(account -> defaultBaseUrl == null ? account
                        : account.withDefaultBaseUrl(defaultBaseUrl)).toList();
        Set<String> ids = new HashSet<>();
        for (KlingAccount account : accounts) {
            if (!ids.add(account.id())) {
                throw new IllegalArgumentException("klingrelay.kling.accounts: duplicate id '" + account.id() + "'");
            }
        }
    }

    /**
     * @param id an account id
     * @return the account, if configured
     */
    public Optional<KlingAccount> findAccount(String id) {
        return accounts.stream().filter(account -> account.id().equals(id)).findFirst();
    }

    /**
     * @param id an account id
     * @return the account
     * @throws NoSuchElementException when no account has that id
     */
    public KlingAccount account(String id) {
        return findAccount(id).orElseThrow(() -> new NoSuchElementException("no Kling account '" + id + "' configured"));
    }
}
