package io.klingrelay.klingemulator.auth;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts {@link AuthInterceptor} in front of the Kling surface: legacy {@code /v1/**} and {@code /account/**}, and the
 * 2026 paths {@link #NEW_API_PATHS}; assets and admin are open.
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

    /** The 2026 path-per-model API (kling-api.md §15): create per model, batch query and cursor listing. */
    public static final List<String> NEW_API_PREFIXES =
            List.of("/text-to-video/", "/image-to-video/", "/omni-video/", "/motion-control/");
    static final String[] NEW_API_PATHS = {"/text-to-video/**", "/image-to-video/**", "/omni-video/**",
        "/motion-control/**", "/tasks", "/tasks/**"};

    private final AuthInterceptor authInterceptor;

    public WebConfiguration(AuthInterceptor authInterceptor) {
        this.authInterceptor = authInterceptor;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authInterceptor).addPathPatterns("/v1/**", "/account/**").addPathPatterns(NEW_API_PATHS);
    }

    /** @return whether {@code uri} (the request path) belongs to the 2026 API, which takes API keys only */
    public static boolean isNewApi(String uri) {
        return "/tasks".equals(uri) || uri.startsWith("/tasks/") || NEW_API_PREFIXES.stream().anyMatch(uri::startsWith);
    }
}
