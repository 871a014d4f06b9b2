package io.galapagos.controller.island;

import io.galapagos.controller.generation.SourceLanguage;
import io.galapagos.controller.generation.SourceTokens;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What makes two candidates the same program: its {@link SourceTokens} in its language, comments and
 * layout dropped as that language writes them, line breaks and indentation kept where they are part of
 * the program (Python). The fingerprint is the first 64 bits of the SHA-256 of that form: an island keeps
 * one per candidate, and among a million programs two share one with a chance of about 3e-8.
 *
 * <p>Earlier versions compared a Java program that parsed by its JavaParser tree printed in one layout,
 * which cost a parse per proposal and gave the same equivalence in practice. The journals and snapshots
 * of those runs keep their fingerprints (replay reads them, never recomputes them); a resumed run's new
 * proposals are fingerprinted by tokens, so one that repeats a program of its earlier sessions is
 * evaluated once more, and from then on is a repeat as usual.
 */
public final class CodeFingerprint {

    /** Fingerprints of programs seen lately: the programs shown with proposals come back proposal after proposal. */
    private static final SourceMemo<Long> RECENT = new SourceMemo<>(1024, CodeFingerprint::compute);

    private CodeFingerprint() {
    }

    /** The fingerprint of the Java program {@code code}. */
    public static long of(String code) {
        return of(code, SourceLanguage.JAVA);
    }

    /** The fingerprint of {@code code} written in {@code language}. */
    public static long of(String code, SourceLanguage language) {
        return RECENT.get(code, language);
    }

    private static long compute(String code, SourceLanguage language) {
        return digest(normalised(code, language));
    }

    /** The form that is compared: see the class comment. */
    static String normalised(String code, SourceLanguage language) {
        // one separator that no token holds, so that tokens cannot run into each other
        return "tokens\n" + String.join("\u0000", SourceTokens.of(code, language));
    }

    private static long digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
