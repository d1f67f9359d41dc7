package dev.parapet.events.codec;

import java.io.ByteArrayOutputStream;

/**
 * One growing output buffer per thread for the hand-written encoders: a stream thread encodes one
 * document at a time and copies it out before the next, so the buffer is reused instead of
 * allocated per document. A buffer that grew past {@value #KEEP_BYTES} bytes (a foreign producer's
 * huge record) is dropped at the next take rather than kept for the thread's life.
 */
public final class ThreadBuffer extends ByteArrayOutputStream {

    static final int KEEP_BYTES = 64 * 1024;
    private static final ThreadLocal<ThreadBuffer> BUFFERS = ThreadLocal.withInitial(ThreadBuffer::new);

    private ThreadBuffer() {
        super(4_096);
    }

    /** The calling thread's buffer, empty. What it held before is overwritten: read it first. */
    public static ThreadBuffer take() {
        ThreadBuffer buffer = BUFFERS.get();
        if (buffer.buf.length > KEEP_BYTES) {
            buffer = new ThreadBuffer();
            BUFFERS.set(buffer);
        }
        buffer.reset();
        return buffer;
    }

    /** The backing array; the content is {@code [0, size())}. */
    public byte[] array() {
        return buf;
    }
}
