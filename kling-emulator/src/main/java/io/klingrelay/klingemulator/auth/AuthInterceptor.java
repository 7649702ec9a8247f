package io.klingrelay.klingemulator.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every request to the Kling surface and stores the account id as a request attribute: AK/SK JWT or
 * static API key on the legacy {@code /v1} and {@code /account} paths, API key only on the 2026 paths
 * (kling-api.md §3.3, §15; {@link WebConfiguration} lists them).
 */
@Component
public class AuthInterceptor implements HandlerInterceptor {

    /** Request attribute holding the authenticated account id. */
    public static final String ACCOUNT_ATTRIBUTE = "io.klingrelay.klingemulator.account";

    private final JwtVerifier verifier;

    public AuthInterceptor(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String accountId = WebConfiguration.isNewApi(request.getRequestURI())
                ? verifier.authenticateApiKey(authorization) : verifier.authenticate(authorization);
        request.setAttribute(ACCOUNT_ATTRIBUTE, accountId);
        return true;
    }
}
