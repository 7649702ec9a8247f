package io.klingrelay.submitter.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /admin} with a static bearer token ({@code klingrelay.submitter.admin-token}).
 * A request without {@code Authorization: Bearer <token>}, or with another token, is answered
 * {@code 401} with {@code WWW-Authenticate: Bearer} and a JSON body, and changes nothing. The
 * comparison takes the same time whatever the mismatch ({@link MessageDigest#isEqual}); neither
 * the expected nor the presented token is ever logged or echoed.
 */
public final class AdminTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);
    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    /** @param token the configured admin token; non-blank */
    public AdminTokenFilter(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be blank");
        }
        this.expected = token.strip().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (matches(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            chain.doFilter(request, response);
            return;
        }
        log.warn("refused {} {} from {}: missing or wrong admin token", request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr());
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"klingrelay-admin\"");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"error\":\"admin token required: Authorization: Bearer <token>\"}");
    }

    private boolean matches(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented);
    }
}
