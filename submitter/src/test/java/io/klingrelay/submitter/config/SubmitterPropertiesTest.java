package io.klingrelay.submitter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class SubmitterPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SubmitterProperties.class)
    static class Binding {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @Test
    void bindsDefaultsAndOverrides() {
        runner.withPropertyValues("klingrelay.submitter.dispatch-lease=10s", "klingrelay.submitter.max-attempts=3")
                .run(context -> {
                    SubmitterProperties properties = context.getBean(SubmitterProperties.class);
                    assertThat(properties.dispatchLease()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(properties.maxAttempts()).isEqualTo(3);
                    assertThat(properties.permitLease()).isEqualTo(Duration.ofHours(2));
                    assertThat(properties.capacityBackoff()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.maxRequestSize()).isEqualTo(DataSize.ofMegabytes(32));
                    assertThat(properties.intakeGiveUpAfter()).isEqualTo(Duration.ofMinutes(5));
                });
    }

    @Test
    void bindsARequestSizeLimitAndRefusesAZeroOneNamingTheKey() {
        runner.withPropertyValues("klingrelay.submitter.max-request-size=900KB").run(context ->
                assertThat(context.getBean(SubmitterProperties.class).maxRequestSize()).isEqualTo(DataSize.ofKilobytes(900)));
        runner.withPropertyValues("klingrelay.submitter.max-request-size=0B").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("klingrelay.submitter.max-request-size");
        });
    }

    @Test
    void refusesADispatchLeaseLongerThanThePermitLeaseNamingTheKey() {
        runner.withPropertyValues("klingrelay.submitter.dispatch-lease=3h").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("klingrelay.submitter.dispatch-lease");
        });
    }

    @Test
    void refusesAZeroAttemptBudget() {
        runner.withPropertyValues("klingrelay.submitter.max-attempts=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("maxAttempts");
        });
    }

    @Test
    void refusesAShortAdminTokenAndNeverPrintsIt() {
        runner.withPropertyValues("klingrelay.submitter.admin-token=short-secret").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("klingrelay.submitter.admin-token")
                    .hasStackTraceContaining("24 characters");
            assertThat(context.getStartupFailure().toString()).doesNotContain("short-secret");
        });
        runner.withPropertyValues("klingrelay.submitter.admin-token=admin-token-0123456789-abcdef").run(context -> {
            SubmitterProperties properties = context.getBean(SubmitterProperties.class);
            assertThat(properties.adminToken()).isEqualTo("admin-token-0123456789-abcdef");
            assertThat(properties.toString()).contains("adminToken=***").doesNotContain("admin-token-0123456789");
        });
    }
}
