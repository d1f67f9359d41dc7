package dev.parapet.detector.index;

import java.util.Objects;

/**
 * One document to index.
 *
 * @param index  target index
 * @param id     document id ({@code event.id}, or the query id for responses): a replay overwrites
 * @param source the JSON body
 * @param origin where it came from ({@code topic-partition@offset}), for the DLQ and logs
 */
public record IndexDocument(String index, String id, byte[] source, String origin) {

    public IndexDocument {
        Objects.requireNonNull(index, "index can't be null");
        Objects.requireNonNull(id, "id can't be null");
        Objects.requireNonNull(source, "source can't be null");
        Objects.requireNonNull(origin, "origin can't be null");
    }
}
