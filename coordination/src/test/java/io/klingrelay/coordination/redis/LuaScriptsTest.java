package io.klingrelay.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DigestUtils;

/** The scripts are read once, as text: what EVALSHA names must be the SHA-1 of the file on the classpath. */
class LuaScriptsTest {

    @Test
    void aScriptCarriesItsFilesTextAndThatTextsSha1() throws Exception {
        String park = new ClassPathResource("io/klingrelay/coordination/park.lua").getContentAsString(StandardCharsets.UTF_8);

        assertThat(LuaScripts.PARK.getScriptAsString()).isEqualTo(park);
        assertThat(LuaScripts.PARK.getSha1()).isEqualTo(DigestUtils.sha1DigestAsHex(park));
    }

    @Test
    void everyScriptHasTextAndADistinctSha1() {
        assertThat(LuaScripts.ALL).allSatisfy(script -> assertThat(script.getScriptAsString()).contains("redis.call"));
        assertThat(LuaScripts.ALL.stream().map(script -> script.getSha1()).distinct()).hasSameSizeAs(LuaScripts.ALL);
    }
}
