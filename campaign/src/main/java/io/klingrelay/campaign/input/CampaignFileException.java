package io.klingrelay.campaign.input;

/**
 * The file as a whole cannot be read as a campaign (unreadable, a CSV header without a required
 * column): no line of it is published. The message names the line and what is wrong.
 */
public final class CampaignFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, with the line number
     * @param cause   the underlying error, or null
     */
    public CampaignFileException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what is wrong, with the line number */
    public CampaignFileException(String message) {
        super(message);
    }
}
