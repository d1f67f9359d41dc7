package dev.parapet.policy.audit;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The last link of one partition's audit chain, kept in a state store so exactly-once
 * processing keeps it in step with the decisions actually committed.
 *
 * @param seq  sequence number of the last link (0 before the first)
 * @param hash hex hash of the last link (64 zeros before the first)
 */
public record ChainHead(long seq, String hash) {

    public static final String GENESIS_HASH = "0".repeat(64);
    public static final ChainHead GENESIS = new ChainHead(0, GENESIS_HASH);

    public static Serde<ChainHead> serde() {
        return Serdes.serdeFrom(
                (topic, head) -> head == null ? null : ByteBuffer.allocate(8 + 64).putLong(head.seq)
                        .put(head.hash.getBytes(StandardCharsets.US_ASCII)).array(),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    long seq = buffer.getLong();
                    byte[] hash = new byte[64];
                    buffer.get(hash);
                    return new ChainHead(seq, new String(hash, StandardCharsets.US_ASCII));
                });
    }
}
