package io.klingrelay.klingemulator.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/** Authenticates every {@code /v1/**} request and stores the account id as a request attribute. */
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
        request.setAttribute(ACCOUNT_ATTRIBUTE, verifier.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION)));
        return true;
    }
}
