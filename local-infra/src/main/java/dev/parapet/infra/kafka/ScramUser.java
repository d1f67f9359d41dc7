package dev.parapet.infra.kafka;

import java.util.Objects;

/**
 * A SCRAM-SHA-512 user created when the broker's storage is formatted.
 *
 * @param name     user name
 * @param password password, never shown by {@code toString()}
 */
public record ScramUser(String name, String password) {

    public ScramUser {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(password, "password can't be null");
        if (!name.matches("[A-Za-z0-9_.-]+") || password.contains("]") || password.contains(",")) {
            throw new IllegalArgumentException("SCRAM user names are [A-Za-z0-9_.-]+ and passwords may not contain ']' or ','");
        }
    }

    /** JAAS line for a client logging in as this user. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name
                + "\" password=\"" + password + "\";";
    }

    @Override
    public String toString() {
        return "ScramUser[name=" + name + ", password=****]";
    }
}
