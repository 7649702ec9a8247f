package io.klingrelay.klingemulator.api;

import io.klingrelay.klingemulator.account.AccountCostsController;
import io.klingrelay.klingemulator.auth.AuthInterceptor;
import io.klingrelay.klingemulator.stats.EmulatorStats;
import io.klingrelay.klingemulator.wire.Envelope;
import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns failures on the Kling surface into Kling error envelopes and counts each code per account. */
@RestControllerAdvice(basePackageClasses = {ApiErrorHandler.class, AccountCostsController.class})
@Order(0)
public class ApiErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    private final EmulatorStats stats;

    public ApiErrorHandler(EmulatorStats stats) {
        this.stats = stats;
    }

    @ExceptionHandler(KlingApiException.class)
    ResponseEntity<Envelope> kling(KlingApiException e, HttpServletRequest request) {
        if (e.accountId() != null && request.getAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE) == null) {
            request.setAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE, e.accountId());
        }
        return reply(e.klingCode(), e.getMessage(), request);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<Envelope> unreadable(Exception e, HttpServletRequest request) {
        return reply(KlingCode.INVALID_REQUEST, "request body is not valid JSON", request);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<Envelope> badParameter(Exception e, HttpServletRequest request) {
        return reply(KlingCode.INVALID_PARAMETER, "invalid parameter", request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Envelope> badMethod(Exception e, HttpServletRequest request) {
        return reply(KlingCode.INVALID_METHOD, "invalid request method", request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Envelope> noRoute(Exception e, HttpServletRequest request) {
        return reply(KlingCode.NOT_FOUND, "resource does not exist", request);
    }

    private ResponseEntity<Envelope> reply(KlingCode code, String message, HttpServletRequest request) {
        Object account = request.getAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE);
        if (account instanceof String accountId) {
            stats.errorAnswered(accountId, code.code());
        }
        log.debug("answering {} {} {} with {}", request.getMethod(), request.getRequestURI(), account, code.code());
        return ResponseEntity.status(code.httpStatus()).body(Envelope.error(code, message));
    }
}
