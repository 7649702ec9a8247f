package io.klingrelay.webhookreceiver.callback;

import io.klingrelay.webhookreceiver.callback.CallbackBodyReader.CallbackBody;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /callbacks/{accountId}/{requestId}/{token}}: Kling's callback (kling-api.md §11).
 * The path is checked first (shape and token, 404), then the body is read by
 * {@link CallbackBodyReader} with a size cap (413 without buffering), as raw bytes so a Standard
 * Webhooks signature can be checked on exactly what was sent. The answer is a tiny JSON
 * {@code {"outcome":"..."}} with a {@code Content-Length} (not chunked), which Kling ignores; a 413
 * also says {@code Connection: close}, as the rest of its body is never read, so a client that is
 * still sending gets the whole answer in one piece before the connection ends.
 */
@RestController
public class CallbackController {

    private final CallbackHandler handler;
    private final CallbackBodyReader bodyReader;

    /**
     * @param handler    the decision logic
     * @param bodyReader the capped body reader
     */
    public CallbackController(CallbackHandler handler, CallbackBodyReader bodyReader) {
        this.handler = handler;
        this.bodyReader = bodyReader;
    }

    /**
     * @param accountId        the account id from the path
     * @param requestId        the request id from the path
     * @param token            the HMAC token from the path (never logged)
     * @param webhookId        the {@code webhook-id} header, when Kling signs
     * @param webhookTimestamp the {@code webhook-timestamp} header, when Kling signs
     * @param webhookSignature the {@code webhook-signature} header, when Kling signs
     * @param servletRequest   the request, whose body is read here and nowhere else
     * @return the outcome with its HTTP status
     */
    @PostMapping(CallbackRoutes.CALLBACK_PATH)
    public ResponseEntity<byte[]> receive(
            @PathVariable String accountId,
            @PathVariable String requestId,
            @PathVariable String token,
            @RequestHeader(name = "webhook-id", required = false) @Nullable String webhookId,
            @RequestHeader(name = "webhook-timestamp", required = false) @Nullable String webhookTimestamp,
            @RequestHeader(name = "webhook-signature", required = false) @Nullable String webhookSignature,
            HttpServletRequest servletRequest) {
        Optional<CallbackOutcome> refused = handler.screenPath(accountId, requestId, token);
        if (refused.isPresent()) {
            return answer(refused.get());
        }
        CallbackOutcome outcome = switch (bodyReader.read(servletRequest)) {
            case CallbackBody.TooLarge tooLarge -> handler.refuseTooLarge(accountId, requestId);
            case CallbackBody.Unreadable unreadable -> handler.refuseUnreadable(accountId, requestId,
                    unreadable.reason());
            case CallbackBody.Read read -> handler.handle(new CallbackRequest(accountId, requestId, token, webhookId,
                    webhookTimestamp, webhookSignature, read.bytes()));
        };
        return answer(outcome);
    }

    private static ResponseEntity<byte[]> answer(CallbackOutcome outcome) {
        // the tag is an enum constant's lower-case name: nothing to escape
        byte[] json = ("{\"outcome\":\"" + outcome.tag() + "\"}").getBytes(StandardCharsets.US_ASCII);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(outcome.httpStatus())
                .contentType(MediaType.APPLICATION_JSON).contentLength(json.length);
        if (outcome == CallbackOutcome.PAYLOAD_TOO_LARGE) {
            answer.header(HttpHeaders.CONNECTION, "close");
        }
        return answer.body(json);
    }
}
