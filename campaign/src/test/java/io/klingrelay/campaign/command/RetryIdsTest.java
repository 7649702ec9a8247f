package io.klingrelay.campaign.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryIdsTest {

    @Test
    void aRetryGetsTheNextAttemptOfTheFirstAttemptsId() {
        assertThat(RetryIds.next("spring-0001")).contains("spring-0001.r1");
        assertThat(RetryIds.next("spring-0001.r1")).contains("spring-0001.r2");
        assertThat(RetryIds.base("spring-0001.r12")).isEqualTo("spring-0001");
        assertThat(RetryIds.attempt("spring-0001.r12")).isEqualTo(12);
        assertThat(RetryIds.attempt("v1.rx")).isZero();
    }

    @Test
    void noRetryIdBreaksTheValidatorsIdRules() {
        assertThat(RetryIds.next("a".repeat(125))).contains("a".repeat(125) + ".r1");
        assertThat(RetryIds.next("a".repeat(126))).isEmpty();
    }
}
