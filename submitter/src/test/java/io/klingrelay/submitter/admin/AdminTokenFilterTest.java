package io.klingrelay.submitter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

@ExtendWith(OutputCaptureExtension.class)
class AdminTokenFilterTest {

    private static final String TOKEN = "admin-token-0123456789-abcdef";

    private final AdminTokenFilter filter = new AdminTokenFilter(TOKEN);

    @Test
    void passesARequestCarryingTheToken() throws Exception {
        // GIVEN
        MockHttpServletRequest request = request("Bearer " + TOKEN);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        // WHEN
        filter.doFilter(request, response, chain);

        // THEN
        assertThat(chain.getRequest()).isSameAs(request);
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void refusesAMissingOrWrongTokenWith401WithoutEchoingOrLoggingAnyToken(CapturedOutput output) throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong-token-0123456789-abcdef", TOKEN,
                "Basic " + TOKEN, "Bearer " + TOKEN + "x"}) {
            // GIVEN
            MockHttpServletRequest request = request(authorization);
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();

            // WHEN
            filter.doFilter(request, response, chain);

            // THEN
            assertThat(chain.getRequest()).as("reached the controller with %s", authorization).isNull();
            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
            assertThat(response.getContentAsString()).contains("admin token required").doesNotContain(TOKEN)
                    .doesNotContain("wrong-token");
        }
        assertThat(output).contains("missing or wrong admin token").doesNotContain(TOKEN).doesNotContain("wrong-token");
    }

    @Test
    void acceptsTheSchemeInAnyCase() throws Exception {
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request("bearer " + TOKEN), new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isNotNull();
    }

    private static MockHttpServletRequest request(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/admin/accounts/a/pause");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }
}
