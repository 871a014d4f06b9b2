package io.galapagos.deploy.data;

import java.util.List;

/** Where a file of the published data comes from in a checkout of the public ADRS repository. */
public sealed interface Origin {

    /** The manifest's kind column. */
    String kind();

    /** The manifest's detail column. */
    String detail();

    /** Copied byte for byte from the first of these checkout paths that exists. */
    record Copy(List<String> sources) implements Origin {
        public Copy {
            sources = List.copyOf(sources);
        }

        @Override
        public String kind() {
            return "copy";
        }

        @Override
        public String detail() {
            return String.join(" | ", sources);
        }
    }

    /** The text of a JSON object assigned to {@code name} in a source file of the checkout. */
    record Literal(String name, String source) implements Origin {
        @Override
        public String kind() {
            return "literal";
        }

        @Override
        public String detail() {
            return name + " @ " + source;
        }
    }

    /** Written by the import from the public evaluator's rule (named by {@code rule}) and imported files. */
    record Derived(String rule) implements Origin {
        @Override
        public String kind() {
            return "derived";
        }

        @Override
        public String detail() {
            return rule;
        }
    }

    /** Not in the public repository (measured by running the original evaluators); says who needs it. */
    record Unpublished(String why) implements Origin {
        @Override
        public String kind() {
            return "unpublished";
        }

        @Override
        public String detail() {
            return why;
        }
    }

    static Origin parse(String kind, String detail) {
        return switch (kind) {
            case "copy" -> new Copy(List.of(detail.split(" \\| ")));
            case "literal" -> {
                int at = detail.indexOf(" @ ");
                if (at < 0) {
                    throw new IllegalArgumentException("literal origin without ' @ ': " + detail);
                }
                yield new Literal(detail.substring(0, at), detail.substring(at + 3));
            }
            case "derived" -> new Derived(detail);
            case "unpublished" -> new Unpublished(detail);
            default -> throw new IllegalArgumentException("unknown origin kind " + kind);
        };
    }
}
