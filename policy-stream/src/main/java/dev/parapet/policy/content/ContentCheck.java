package dev.parapet.policy.content;

/** Scores a prompt. Implementations must be thread-safe; an exception means the query is denied. */
@FunctionalInterface
public interface ContentCheck {

    ContentVerdict scan(String text);
}
