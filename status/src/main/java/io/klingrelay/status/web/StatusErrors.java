package io.klingrelay.status.web;

import io.klingrelay.status.query.StatusUnavailableException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps the query side's errors to HTTP: 400 for a bad parameter, 503 + {@code Retry-After: 1} while unavailable. */
@RestControllerAdvice
public class StatusErrors {

    private static final Logger log = LoggerFactory.getLogger(StatusErrors.class);

    /**
     * @param e the failure
     * @return 503 with {@code {"error": ...}}
     */
    @ExceptionHandler(StatusUnavailableException.class)
    public ResponseEntity<Map<String, String>> unavailable(StatusUnavailableException e) {
        log.debug("answering 503: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .body(Map.of("error", e.getMessage()));
    }

    /**
     * @param e the failure
     * @return 400 with {@code {"error": ...}}
     */
    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
    }
}
