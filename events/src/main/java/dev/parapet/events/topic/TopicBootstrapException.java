package dev.parapet.events.topic;

/** The broker refused or did not answer a bootstrap request. */
public final class TopicBootstrapException extends RuntimeException {

    public TopicBootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
