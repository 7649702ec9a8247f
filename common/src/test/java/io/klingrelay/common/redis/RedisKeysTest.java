package io.klingrelay.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisKeysTest {

    private final RedisKeys keys = RedisKeys.defaults();

    @Test
    void hashTagsEveryPerAccountKeyWithTheAccountId() {
        assertThat(keys.queue("brand-a")).isEqualTo("klingrelay:{brand-a}:queue");
        assertThat(keys.task("brand-a", "r-1")).isEqualTo("klingrelay:{brand-a}:task:r-1");
        assertThat(keys.permits("brand-a")).startsWith("klingrelay:{brand-a}:");
    }

    @Test
    void refusesIdsThatWouldBreakTheLayout() {
        assertThatThrownBy(() -> keys.queue("a}b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.task("a", "r 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisKeys("x:")).isInstanceOf(IllegalArgumentException.class);
    }
}
