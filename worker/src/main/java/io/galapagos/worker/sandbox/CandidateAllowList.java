package io.galapagos.worker.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JDK classes and members a candidate's bytecode may reference, read from
 * {@code candidate-allowlist.txt} (its header documents the format). Class names are JVM internal
 * names ({@code java/util/Map$Entry}); reasons are written for the model that reads the verdict.
 */
final class CandidateAllowList {

    static final String RESOURCE = "candidate-allowlist.txt";

    private static final String DEFAULT_REASON = "not on the candidates' allow-list: use java.lang basics, "
            + "java.util collections, functions and sequential streams, java.math, java.util.regex and the task's API";

    private final Set<String> classes;
    private final Set<String> packages;
    private final Map<String, Set<String>> members;
    private final Map<String, Set<String>> exceptions;
    private final Map<String, String> deniedNames;
    private final Map<String, String> deniedPrefixes;
    private final Map<String, String> hints;

    private CandidateAllowList(Set<String> classes, Set<String> packages, Map<String, Set<String>> members,
                               Map<String, Set<String>> exceptions, Map<String, String> deniedNames,
                               Map<String, String> deniedPrefixes, Map<String, String> hints) {
        this.classes = Set.copyOf(classes);
        this.packages = Set.copyOf(packages);
        this.members = Map.copyOf(members);
        this.exceptions = Map.copyOf(exceptions);
        this.deniedNames = Map.copyOf(deniedNames);
        this.deniedPrefixes = Map.copyOf(deniedPrefixes);
        this.hints = Map.copyOf(hints);
    }

    /** The allow-list shipped with the worker. */
    static CandidateAllowList standard() {
        try (InputStream in = CandidateAllowList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE + " next to " + CandidateAllowList.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static CandidateAllowList parse(List<String> lines) {
        Set<String> classes = new HashSet<>();
        Set<String> packages = new HashSet<>();
        Map<String, Set<String>> members = new HashMap<>();
        Map<String, Set<String>> exceptions = new HashMap<>();
        Map<String, String> deniedNames = new HashMap<>();
        Map<String, String> deniedPrefixes = new HashMap<>();
        Map<String, String> hints = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] words = content.split("\\s+");
            if (words.length < 2) {
                throw malformed(i, line);
            }
            String name = words[1];
            List<String> rest = Arrays.asList(words).subList(2, words.length);
            String text = String.join(" ", rest);
            switch (words[0]) {
                case "class" -> classes.add(internal(name));
                case "package" -> packages.add(internal(name));
                case "member" -> members.computeIfAbsent(internal(name), k -> new HashSet<>()).addAll(nonEmpty(rest, i, line));
                case "except" -> exceptions.computeIfAbsent(internal(name), k -> new HashSet<>()).addAll(nonEmpty(rest, i, line));
                case "deny-name" -> {
                    String reason = nonEmpty(text, i, line);
                    if (name.endsWith("*")) {
                        deniedPrefixes.put(name.substring(0, name.length() - 1), reason);
                    } else {
                        deniedNames.put(name, reason);
                    }
                }
                case "hint" -> hints.put(name, nonEmpty(text, i, line));
                default -> throw malformed(i, line);
            }
        }
        return new CandidateAllowList(classes, packages, members, exceptions, deniedNames, deniedPrefixes, hints);
    }

    /** Whether {@code type} (internal name) may appear in a candidate at all. */
    boolean allowsType(String type) {
        return wholeClass(type) || members.containsKey(type);
    }

    /** Whether member {@code name} of {@code owner} may be referenced (name denials aside). */
    boolean allowsMember(String owner, String name) {
        if (wholeClass(owner)) {
            return !exceptions.getOrDefault(owner, Set.of()).contains(name);
        }
        return members.getOrDefault(owner, Set.of()).contains(name);
    }

    /** The reason a member name is refused on every owner, if it is. */
    Optional<String> deniedName(String name) {
        String exact = deniedNames.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        return deniedPrefixes.entrySet().stream().filter(e -> name.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst();
    }

    /** The reason shown for a refused class or member, e.g. {@code java.lang.System.getenv}: the longest hint that covers it. */
    String reason(String forbidden) {
        String best = null;
        for (String prefix : hints.keySet()) {
            boolean covers = forbidden.equals(prefix) || forbidden.startsWith(prefix + ".") || forbidden.startsWith(prefix + "$");
            if (covers && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? DEFAULT_REASON : hints.get(best);
    }

    private boolean wholeClass(String type) {
        int slash = type.lastIndexOf('/');
        return classes.contains(type) || (slash > 0 && packages.contains(type.substring(0, slash)));
    }

    private static String internal(String binaryName) {
        return binaryName.replace('.', '/');
    }

    private static List<String> nonEmpty(List<String> words, int index, String line) {
        if (words.isEmpty()) {
            throw malformed(index, line);
        }
        return words;
    }

    private static String nonEmpty(String text, int index, String line) {
        if (text.isEmpty()) {
            throw malformed(index, line);
        }
        return text;
    }

    private static IllegalStateException malformed(int index, String line) {
        return new IllegalStateException(RESOURCE + " line " + (index + 1) + " is malformed: " + line);
    }
}
