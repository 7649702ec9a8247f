package io.klingrelay.campaign.publish;

/**
 * Publishing stopped part-way (Kafka refused or did not acknowledge a record in time). The journal
 * was written up to what is certain; the message says how far it got, and re-running the same
 * command resumes from there.
 */
public final class PublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The journal as last written (what is certainly published). */
    private final transient PublishJournal journal;

    /**
     * @param journal the journal as last written
     * @param line    the first line whose record failed
     * @param cause   Kafka's error
     */
    public PublishException(PublishJournal journal, long line, Throwable cause) {
        super("Kafka did not acknowledge the record of line " + line + " (" + cause.getMessage() + "); "
                + journal.published() + " requests are published, through line " + journal.publishedThrough(), cause);
        this.journal = journal;
    }

    /** @return the journal as last written */
    public PublishJournal journal() {
        return journal;
    }
}
