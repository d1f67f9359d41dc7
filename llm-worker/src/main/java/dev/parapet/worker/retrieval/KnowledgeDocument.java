package dev.parapet.worker.retrieval;

import java.util.List;
import java.util.Objects;

/**
 * A document the offline answerer may quote, with the roles allowed to read it.
 *
 * @param name  where it came from (file name), shown as the source of a passage
 * @param roles roles that may read it; {@value #ANY_VERIFIED_USER} means any verified user
 * @param text  its body, without the front matter
 */
public record KnowledgeDocument(String name, List<String> roles, String text) {

    /** The role label that opens a document to every verified user. */
    public static final String ANY_VERIFIED_USER = "*";

    public KnowledgeDocument {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(text, "text can't be null");
        roles = List.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException(name + ": a document must name the roles that may read it");
        }
    }

    /** Whether a user holding {@code userRoles} may read this document. */
    public boolean readableBy(List<String> userRoles) {
        return roles.contains(ANY_VERIFIED_USER) || userRoles.stream().anyMatch(roles::contains);
    }
}
