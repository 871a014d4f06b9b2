package io.galapagos.worker.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Where a candidate's prints go inside a child: keeps the first {@code cap} bytes, counts the rest. */
final class CappedOutput extends OutputStream {

    private final int cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;

    CappedOutput(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(int b) {
        total++;
        if (kept.size() < cap) {
            kept.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        total += length;
        int room = cap - kept.size();
        if (room > 0) {
            kept.write(bytes, offset, Math.min(room, length));
        }
    }

    @Override
    public void close() {
        // a candidate closing System.out must not break the next evaluation
    }

    synchronized void reset() {
        kept.reset();
        total = 0;
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }

    synchronized long total() {
        return total;
    }
}
