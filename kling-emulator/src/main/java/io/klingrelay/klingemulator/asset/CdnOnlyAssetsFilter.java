package io.klingrelay.klingemulator.asset;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** In CDN mode, the HTTPS connector answers 404 to anything but {@code /assets/**}, as a CDN host knows no API. */
@Component
@ConditionalOnBooleanProperty("klingrelay.emulator.assets.cdn.enabled")
public class CdnOnlyAssetsFilter extends OncePerRequestFilter {

    private final CdnConnector cdn;

    public CdnOnlyAssetsFilter(CdnConnector cdn) {
        this.cdn = cdn;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getLocalPort() == cdn.localPort() && !request.getRequestURI().startsWith("/assets/")) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }
}
