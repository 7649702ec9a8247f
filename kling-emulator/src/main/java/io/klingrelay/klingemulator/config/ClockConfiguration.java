package io.klingrelay.klingemulator.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The emulator reads time only through one {@link EmulatorClock} (system UTC plus an offset changed through
 * {@code POST /admin/clock}); components inject it as {@link Clock}. Tests control it through the admin API or
 * the bean itself instead of replacing it.
 */
@Configuration(proxyBeanMethods = false)
public class ClockConfiguration {

    @Bean
    EmulatorClock clock() {
        return new EmulatorClock(Clock.systemUTC());
    }
}
