package io.klingrelay.poller;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Test source added to the in-process kling-emulator: logs every single-task query
 * ({@code GET /v1/videos/text2video/{task_id}}, kling-api.md §10.2) and every list page
 * ({@code GET /v1/videos/text2video?pageNum=&pageSize=}, §10.4) with the local address it
 * arrived on, so a test that gives each poller instance its own loopback address
 * ({@code 127.0.0.1}, {@code 127.0.0.2}, …) knows which instance asked. Deliberately not a
 * {@code @Component}: the pollers' component scan of {@code io.klingrelay.poller} must not pick it up.
 */
class EmulatorQueryLog extends OncePerRequestFilter {

    private static final String QUERY_PATH = "/v1/videos/text2video/";
    private static final String LIST_PATH = "/v1/videos/text2video";

    /**
     * @param instance     the local address the query came in on (one per poller instance)
     * @param taskId       the queried {@code task_id}
     * @param arrivedNanos {@link System#nanoTime()} at arrival
     */
    record Query(String instance, String taskId, long arrivedNanos) {
    }

    /**
     * @param instance     the local address the list call came in on
     * @param query        its query string, e.g. {@code pageNum=1&pageSize=500}
     * @param arrivedNanos {@link System#nanoTime()} at arrival
     */
    record ListCall(String instance, String query, long arrivedNanos) {
    }

    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final List<ListCall> lists = new CopyOnWriteArrayList<>();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if ("GET".equals(request.getMethod()) && path.startsWith(QUERY_PATH) && path.length() > QUERY_PATH.length()) {
            queries.add(new Query(instance(request.getLocalAddr()), path.substring(QUERY_PATH.length()),
                    System.nanoTime()));
        } else if ("GET".equals(request.getMethod()) && path.equals(LIST_PATH) && request.getQueryString() != null
                && request.getQueryString().contains("pageSize")) {
            lists.add(new ListCall(instance(request.getLocalAddr()), request.getQueryString(), System.nanoTime()));
        }
        chain.doFilter(request, response);
    }

    /** @return every query logged so far, in arrival order */
    List<Query> queries() {
        return List.copyOf(queries);
    }

    /** @return every list page call logged so far, in arrival order */
    List<ListCall> lists() {
        return List.copyOf(lists);
    }

    /** An IPv4 address, also when the connector reports it IPv4-mapped ({@code ::ffff:127.0.0.2}). */
    private static String instance(String localAddress) {
        return localAddress.substring(localAddress.lastIndexOf(':') + 1);
    }
}
