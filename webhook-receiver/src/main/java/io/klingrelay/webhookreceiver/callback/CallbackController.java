package io.klingrelay.webhookreceiver.callback;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /callbacks/{accountId}/{requestId}/{token}}: Kling's callback (kling-api.md §11).
 * The body is read as raw bytes so a Standard Webhooks signature can be checked on exactly what
 * was sent. The answer is a tiny JSON {@code {"outcome": "..."}}, which Kling ignores.
 */
@RestController
public class CallbackController {

    private final CallbackHandler handler;

    /** @param handler the decision logic */
    public CallbackController(CallbackHandler handler) {
        this.handler = handler;
    }

    /**
     * @param accountId        the account id from the path
     * @param requestId        the request id from the path
     * @param token            the HMAC token from the path (never logged)
     * @param webhookId        the {@code webhook-id} header, when Kling signs
     * @param webhookTimestamp the {@code webhook-timestamp} header, when Kling signs
     * @param webhookSignature the {@code webhook-signature} header, when Kling signs
     * @param body             the raw body
     * @return the outcome with its HTTP status
     */
    @PostMapping(CallbackRoutes.CALLBACK_PATH)
    public ResponseEntity<Map<String, String>> receive(
            @PathVariable String accountId,
            @PathVariable String requestId,
            @PathVariable String token,
            @RequestHeader(name = "webhook-id", required = false) @Nullable String webhookId,
            @RequestHeader(name = "webhook-timestamp", required = false) @Nullable String webhookTimestamp,
            @RequestHeader(name = "webhook-signature", required = false) @Nullable String webhookSignature,
            @RequestBody(required = false) byte @Nullable [] body) {
        CallbackOutcome outcome = handler.handle(new CallbackRequest(accountId, requestId, token, webhookId,
                webhookTimestamp, webhookSignature, body == null ? new byte[0] : body));
        return ResponseEntity.status(outcome.httpStatus()).body(Map.of("outcome", outcome.tag()));
    }
}
