package dev.parapet.detector.index;

/** A record that can never become a document (not JSON, no id): it goes to the DLQ. */
public final class UnindexableRecordException extends RuntimeException {

    public UnindexableRecordException(String message) {
        super(message);
    }
}
