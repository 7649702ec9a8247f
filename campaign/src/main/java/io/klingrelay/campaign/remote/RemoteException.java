package io.klingrelay.campaign.remote;

/** A call to the status service or the submitter failed; the message names the URL and the answer (never a token). */
public final class RemoteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public RemoteException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying error
     */
    public RemoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
