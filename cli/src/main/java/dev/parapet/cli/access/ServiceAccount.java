package dev.parapet.cli.access;

import java.util.Locale;

/**
 * The Kafka principals Parapet's services run as, one per service, each a SCRAM user whose
 * password comes from {@code PARAPET_SCRAM_<SERVICE>_PASSWORD}.
 */
public enum ServiceAccount {
    INGEST("parapet-ingest"),
    POLICY("parapet-policy"),
    WORKER("parapet-worker"),
    DETECTOR("parapet-detector");

    private final String user;

    ServiceAccount(String user) {
        this.user = user;
    }

    /** The SCRAM user name, which is also the principal name. */
    public String user() {
        return user;
    }

    /** {@code User:<name>}, as ACLs name it. */
    public String principal() {
        return "User:" + user;
    }

    /** The environment variable that holds this account's password for the setup job. */
    public String passwordVariable() {
        return "PARAPET_SCRAM_" + name().toUpperCase(Locale.ROOT) + "_PASSWORD";
    }
}
