package io.klingrelay.klingemulator.product;

import org.jspecify.annotations.Nullable;

/** {@code callback_url} and {@code external_task_id}, accepted by every product. */
record CommonFields(@Nullable String callbackUrl, @Nullable String externalTaskId) {

    static final int MAX_EXTERNAL_ID = 256;

    static CommonFields read(RequestFields fields) {
        String callbackUrl = fields.optionalString("callback_url");
        if (callbackUrl != null && !callbackUrl.startsWith("http://") && !callbackUrl.startsWith("https://")) {
            throw RequestFields.invalid("callback_url: must be a valid URL");
        }
        String externalTaskId = fields.text("external_task_id", MAX_EXTERNAL_ID);
        return new CommonFields(blankToNull(callbackUrl), blankToNull(externalTaskId));
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
