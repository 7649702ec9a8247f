package io.klingrelay.coordination.admission;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How an account's effective limit and pauses react to Kling ({@code klingrelay.admission.*};
 * ARCHITECTURE.md "Error classes have different budgets"):
 * <ul>
 *   <li>1303 means our count is wrong: the effective limit drops to
 *       {@code floor(min(effective, running + weight − 1) × decreaseFactor)} (at least 1), at most
 *       once per {@code decreaseHoldoff} (refusals of creates already in flight do not compound);</li>
 *   <li>it then climbs back by one per successful create once {@code increaseInterval} passed
 *       since the last change (additive increase), up to the configured limit;</li>
 *   <li>an account-level error (1000–1004 after a re-sign, 1100–1103, 1304) pauses the whole
 *       account for {@code firstPause}, doubling on each failed probe up to {@code longestPause};
 *       when a pause ends exactly one request goes through as a probe.</li>
 * </ul>
 *
 * @param decreaseFactor   multiplicative decrease, in (0, 1)
 * @param decreaseHoldoff  minimum time between two decreases
 * @param increaseInterval minimum time between two additive increases (or since the last decrease)
 * @param firstPause       first pause after an account-level error
 * @param longestPause     cap of the doubling pause
 */
@Validated
@ConfigurationProperties("klingrelay.admission")
public record AdmissionPolicy(
        @DefaultValue("0.75") @DecimalMin("0.05") @DecimalMax("0.95") double decreaseFactor,
        @NotNull @DefaultValue("2s") Duration decreaseHoldoff,
        @NotNull @DefaultValue("30s") Duration increaseInterval,
        @NotNull @DefaultValue("30s") Duration firstPause,
        @NotNull @DefaultValue("10m") Duration longestPause) {

    /** @return the defaults above */
    public static AdmissionPolicy defaults() {
        return new AdmissionPolicy(0.75, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(10));
    }
}
