package io.klingrelay.klingemulator.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    @Test
    void reproducesTheOfficialStandardWebhooksTestVector() {
        WebhookSigner signer = new WebhookSigner("whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=");
        String body = "{\"id\":\"1234567890\",\"status\":\"succeeded\",\"message\":\"\","
                + "\"create_time\":1781080778802,\"update_time\":1781080794151}";

        String signature = signer.sign("9876543210", 1781080794L, body.getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=");
    }

    @Test
    void neverShowsTheSecretInToString() {
        assertThat(new WebhookSigner("whsec_dGVzdHNlY3JldA==").toString()).doesNotContain("dGVzdHNlY3JldA");
    }
}
