package io.klingrelay.webhookreceiver.callback;

import io.klingrelay.klingclient.callback.CallbackTokens;

/** The receiver's route, matching the URL {@link CallbackTokens#callbackUrl} builds. */
final class CallbackRoutes {

    /** {@code /callbacks/{accountId}/{requestId}/{token}}. */
    static final String CALLBACK_PATH = CallbackTokens.PATH_PREFIX + "{accountId}/{requestId}/{token}";

    private CallbackRoutes() {
    }
}
