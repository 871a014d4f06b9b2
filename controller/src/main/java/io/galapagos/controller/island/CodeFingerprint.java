package io.galapagos.controller.island;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.printer.DefaultPrettyPrinter;
import com.github.javaparser.printer.configuration.DefaultConfigurationOption;
import com.github.javaparser.printer.configuration.DefaultPrinterConfiguration;
import io.galapagos.controller.generation.SourceLanguage;
import io.galapagos.controller.generation.SourceTokens;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What makes two candidates the same program: for Java, the parsed tree without its comments, printed
 * in one canonical layout (whitespace, line breaks and comments do not count); for any other language
 * (and Java that does not parse), its {@link SourceTokens}: comments and layout dropped as that
 * language writes them, line breaks and indentation kept where they are part of the program (Python).
 * The fingerprint is the first 64 bits of the SHA-256 of that form: an island keeps one per candidate,
 * and among a million programs two share one with a chance of about 3e-8.
 */
public final class CodeFingerprint {

    private static final ParserConfiguration PARSING = new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17).setAttributeComments(false);
    private static final DefaultPrettyPrinter CANONICAL = new DefaultPrettyPrinter(
            new DefaultPrinterConfiguration()
                    .removeOption(new DefaultConfigurationOption(DefaultPrinterConfiguration.ConfigOption.PRINT_COMMENTS))
                    .removeOption(new DefaultConfigurationOption(DefaultPrinterConfiguration.ConfigOption.PRINT_JAVADOC)));

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
        if (language.isJava()) {
            ParseResult<CompilationUnit> parsed = new JavaParser(PARSING).parse(code);
            if (parsed.isSuccessful() && parsed.getResult().isPresent()) {
                return "java\n" + CANONICAL.print(parsed.getResult().get());
            }
        }
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
