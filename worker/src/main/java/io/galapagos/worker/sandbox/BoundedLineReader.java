package io.galapagos.worker.sandbox;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads lines from a child process without trusting it: a line is returned, marked as truncated, as
 * soon as it passes the cap (what follows comes back as the next line), so that no child can make the
 * parent buffer or wait for an endless line.
 */
public final class BoundedLineReader {

    /** One line; {@code truncated} when the child wrote more than the cap before the newline. */
    public record Line(String text, boolean truncated, long bytes) {
    }

    private final InputStream in;
    private final int maxLineBytes;

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its end, or empty at the end of the stream. */
    public Optional<Line> next() throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long bytes = 0;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return Optional.of(line(kept, bytes));
            }
            if (bytes == maxLineBytes) {
                return Optional.of(new Line(kept.toString(StandardCharsets.UTF_8), true, bytes + 1));
            }
            bytes++;
            kept.write(b);
        }
        return bytes == 0 ? Optional.empty() : Optional.of(line(kept, bytes));
    }

    private Line line(ByteArrayOutputStream kept, long bytes) {
        String text = kept.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return new Line(text, false, bytes);
    }
}
