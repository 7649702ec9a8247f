package io.klingrelay.klingclient.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.redis.RedisKeys;
import org.junit.jupiter.api.Test;

class BoundedTest {

    @Test
    void keepsAValidIdAsItIs() {
        String id = "spring-sale_0001:v2." + "x".repeat(100);
        assertThat(Bounded.id(id)).isEqualTo(id);
    }

    @Test
    void shortensAHugeIdToItsFirst64CharactersAndAHash() {
        String huge = "h".repeat(700 * 1024);

        String bounded = Bounded.id(huge);

        assertThat(bounded).hasSize(64 + 2 + 12).matches("h{64}\u2026#[0-9a-f]{12}");
        assertThat(Bounded.id(huge)).isEqualTo(bounded);
        assertThat(Bounded.id(huge + "h")).isNotEqualTo(bounded).startsWith("h".repeat(64));
        assertThat(RedisKeys.isSafeId(bounded)).isFalse();
    }

    @Test
    void replacesCharactersThatAnIdMayNotHold() {
        assertThat(Bounded.id("a b\nc/ü")).startsWith("a_b_c__\u2026#").hasSize(7 + 2 + 12);
    }

    @Test
    void capsAReasonAt1000CharactersWithoutControlCharacters() {
        String reason = Bounded.reason("line one\nline two\u0000" + "x".repeat(5000));

        assertThat(reason).hasSize(Bounded.MAX_REASON).startsWith("line one line two ")
                .endsWith("\u2026 (5018 characters)").doesNotContain("\n", "\u0000");
        assertThat(Bounded.reason("short")).isEqualTo("short");
    }
}
