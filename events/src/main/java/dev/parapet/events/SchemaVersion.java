package dev.parapet.events;

/** The schema version every event written by this build carries in {@code schema_version}. */
public final class SchemaVersion {

    /** Version 1: the contract in docs/ARCHITECTURE.md. */
    public static final int CURRENT = 1;

    private SchemaVersion() {
    }
}
