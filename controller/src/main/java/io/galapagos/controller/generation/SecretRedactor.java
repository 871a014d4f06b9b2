package io.galapagos.controller.generation;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes API keys from text that goes into a prompt, a reason or a log: the configured keys
 * themselves, and anything shaped like a well-known key format.
 */
public final class SecretRedactor {

    public static final String REDACTED = "[REDACTED]";

    private static final List<Pattern> SHAPES = List.of(
            Pattern.compile("sk-(?:proj-|ant-)?[A-Za-z0-9_\\-]{16,}"),        // OpenAI, Anthropic
            Pattern.compile("AIza[0-9A-Za-z_\\-]{30,}"),                        // Google
            Pattern.compile("gh[pousr]_[A-Za-z0-9]{30,}"),                      // GitHub
            Pattern.compile("xox[abprs]-[A-Za-z0-9\\-]{10,}"),                  // Slack
            Pattern.compile("AKIA[0-9A-Z]{16}"),                                // AWS access key id
            Pattern.compile("hf_[A-Za-z0-9]{30,}"),                             // Hugging Face
            Pattern.compile("(?i)(?<=bearer\\s)[A-Za-z0-9._~+/\\-]{16,}=*"));
    private static final Pattern ASSIGNED = Pattern.compile(
            "(?i)\\b((?:api[_-]?key|secret(?:[_-]?key)?|password|passwd|access[_-]?token|auth[_-]?token)\\b[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"',;]{8,})");

    private final List<String> known;

    /** @param knownSecrets the values of the configured keys; blank values are ignored */
    public SecretRedactor(Collection<String> knownSecrets) {
        this.known = knownSecrets.stream().filter(s -> s != null && s.strip().length() >= 4).map(String::strip)
                .distinct().toList();
    }

    public static SecretRedactor shapesOnly() {
        return new SecretRedactor(List.of());
    }

    public String redact(String text) {
        String out = text;
        for (String secret : known) {
            out = out.replace(secret, REDACTED);
        }
        for (Pattern p : SHAPES) {
            out = p.matcher(out).replaceAll(REDACTED);
        }
        Matcher m = ASSIGNED.matcher(out);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + REDACTED));
    }
}
