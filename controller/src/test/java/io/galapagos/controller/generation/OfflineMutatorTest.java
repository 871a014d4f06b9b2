package io.galapagos.controller.generation;

import io.galapagos.controller.generation.fixture.SpotStrategy;
import io.galapagos.protocol.EvolveBlocks;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

// integration lane: slow, mutates and compiles many programs
@Tag("integration")
class OfflineMutatorTest {

    private static final String ENUM_API = "public enum ClusterType { NONE, SPOT, ON_DEMAND }";

    private final String greedy = Fixtures.greedy();
    private final String uniform = Fixtures.uniformProgress();

    private static OfflineMutator mutator(MutationSettings settings) {
        return new OfflineMutator(Fixtures.TASK, settings, List.of(), Runnable::run);
    }

    private static Proposal.Code code(Proposal proposal) {
        assertThat(proposal).isInstanceOf(Proposal.Code.class);
        return (Proposal.Code) proposal;
    }

    /** Lines of {@code child} that differ from {@code parent} (both have the same number of lines). */
    private static List<String> changedLines(String parent, String child) {
        List<String> a = parent.lines().toList();
        List<String> b = child.lines().toList();
        assertThat(b).hasSameSizeAs(a);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                changed.add(a.get(i).strip() + " => " + b.get(i).strip());
            }
        }
        return changed;
    }

    private static final CandidateCompiler COMPILER = new CandidateCompiler();

    private static void compiles(String source) {
        try {
            COMPILER.compile(source, SpotStrategy.class);
        } catch (CompilationException e) {
            throw new AssertionError("mutated candidate does not compile: " + e.getMessage() + "\n" + source, e);
        }
    }

    private static String outsideBlock(String code) {
        EvolveBlocks blocks = EvolveBlocks.of(code, "code");
        return blocks.outside().toString();
    }

    @Test
    void scaledConstantChangesOneNumberOnOneLine() {
        for (long seed = 0; seed < 10; seed++) {
            Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.CONSTANT_SCALED))
                    .mutate(Fixtures.request(uniform, seed)));

            List<String> changed = changedLines(uniform, child.code());
            assertThat(changed).hasSize(1);
            assertThat(child.summary()).startsWith("constant scaled at line ");
            String[] sides = changed.get(0).split(" => ");
            assertThat(sides[0].replaceAll("[0-9.eE-]+", "N"))
                    .isEqualTo(sides[1].replaceAll("\\((-[0-9.eE-]+)\\)", "$1").replaceAll("[0-9.eE-]+", "N"));
        }
    }

    @Test
    void shiftedIntegerConstantMovesByOneOrTwo() {
        String program = greedy.replace("2 * overhead", "2 * overhead").replace("(remainingWork + overhead)", "(remainingWork + 0.5 * overhead)");
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.CONSTANT_SHIFTED))
                    .mutate(Fixtures.request(program, seed)));
            assertThat(changedLines(program, child.code())).hasSize(1);
            if (child.summary().contains(": 2 -> ")) {
                seen.add(child.summary().substring(child.summary().indexOf(": 2 -> ") + 7));
            }
        }
        assertThat(seen).isNotEmpty().allMatch(v -> Set.of("0", "1", "3", "4").contains(v));
    }

    @Test
    void changedComparisonKeepsOperandsAndEqualityStaysEquality() {
        for (long seed = 0; seed < 20; seed++) {
            Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.COMPARISON_CHANGED))
                    .mutate(Fixtures.request(greedy, seed)));
            List<String> changed = changedLines(greedy, child.code());
            assertThat(changed).hasSize(1);
            String line = changed.get(0);
            if (line.contains("lastClusterType")) {
                assertThat(line).endsWith("lastClusterType != ClusterType.SPOT && hasSpot) {");
            } else {
                assertThat(line.split(" => ")[1]).matches(".*(needOne|needTwo) (<|<=|>) left.*");
            }
        }
    }

    @Test
    void negatedConditionIsWrappedAndNegationIsRemovedAgain() {
        OfflineMutator negate = mutator(MutationSettings.only(MutationKind.CONDITION_NEGATED).unguarded());
        String program = greedy.replace("if (hasSpot) {", "if (!hasSpot) {");

        Set<String> changes = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            changes.addAll(changedLines(program, code(negate.mutate(Fixtures.request(program, seed))).code()));
        }

        assertThat(changes).contains("if (needOne >= left) { => if (!(needOne >= left)) {",
                "if (!hasSpot) { => if (hasSpot) {");
    }

    @Test
    void swappedBranchesExchangeThenAndElseButKeepTheCondition() {
        String program = greedy.replace("        if (needOne >= left) {\n            return ClusterType.ON_DEMAND;\n        } else if",
                "        if (needOne >= left) {\n            return ClusterType.ON_DEMAND;\n        }\n        if");
        OfflineMutator swap = mutator(MutationSettings.only(MutationKind.BRANCHES_SWAPPED).unguarded());

        Proposal.Code child = code(swap.mutate(Fixtures.request(program, 1)));

        assertThat(child.summary()).isEqualTo("branches swapped at line 26: branches of 'if (hasSpot)' exchanged");
        assertThat(child.code()).contains("        if (hasSpot) {\n            return ClusterType.NONE;\n        } else {\n"
                + "            return ClusterType.SPOT;\n        }");
        compiles(child.code());
    }

    @Test
    void swappingBranchesOfAnElseIfChainBracesTheMovedIf() {
        OfflineMutator swap = mutator(MutationSettings.only(MutationKind.BRANCHES_SWAPPED));
        List<String> children = LongStream.range(0, 20)
                .mapToObj(seed -> code(swap.mutate(Fixtures.request(greedy, seed))).code())
                .filter(c -> c.contains("if (needOne >= left) {\n            if (needTwo >= left) {"))
                .toList();

        assertThat(children).isNotEmpty();
        children.forEach(OfflineMutatorTest::compiles);
    }

    @Test
    void returnedEnumConstantBecomesAnotherConstantOfTheSameEnum() {
        OfflineMutator change = mutator(MutationSettings.only(MutationKind.ENUM_CONSTANT_CHANGED));
        for (long seed = 0; seed < 20; seed++) {
            List<String> changed = changedLines(uniform, code(change.mutate(Fixtures.request(uniform, seed))).code());
            assertThat(changed).hasSize(1);
            String[] sides = changed.get(0).split(" => ");
            assertThat(sides[1]).isNotEqualTo(sides[0]).matches(".*ClusterType\\.(NONE|SPOT|ON_DEMAND).*");
            assertThat(sides[0]).doesNotContain("=="); // comparisons are not decisions
        }
    }

    @Test
    void enumConstantsOfTheCandidateApiAreUsedEvenWhenTheParentNeverNamesThem() {
        String program = greedy.replace("ClusterType.ON_DEMAND", "ClusterType.SPOT");
        OfflineMutator withApi = new OfflineMutator(Fixtures.TASK, MutationSettings.only(MutationKind.ENUM_CONSTANT_CHANGED),
                List.of(ENUM_API), Runnable::run);

        boolean onDemandAppears = LongStream.range(0, 30)
                .mapToObj(seed -> code(withApi.mutate(Fixtures.request(program, seed))).code())
                .anyMatch(c -> c.contains("ClusterType.ON_DEMAND"));

        assertThat(onDemandAppears).isTrue();
    }

    @Test
    void roundingSwapsCeilAndFloor() {
        Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.ROUNDING_CHANGED))
                .mutate(Fixtures.request(greedy, 3)));

        List<String> changed = changedLines(greedy, child.code());
        assertThat(changed).hasSize(1);
        assertThat(changed.get(0)).matches(".*Math\\.(ceil|floor).* => .*Math\\.(floor|ceil).*");
        assertThat(changed.get(0).split(" => ")[0].replace("ceil", "X").replace("floor", "X"))
                .isEqualTo(changed.get(0).split(" => ")[1].replace("ceil", "X").replace("floor", "X"));
    }

    @Test
    void logicalOperatorIsExchanged() {
        Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.LOGICAL_OPERATOR_CHANGED).unguarded())
                .mutate(Fixtures.request(greedy, 0)));

        assertThat(changedLines(greedy, child.code()))
                .containsExactly("if (lastClusterType == ClusterType.SPOT && hasSpot) { => if (lastClusterType == ClusterType.SPOT || hasSpot) {");
    }

    @Test
    void scaledOperandTurnsAComparisonIntoAThresholdOnAValue() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.OPERAND_SCALED))
                    .mutate(Fixtures.request(greedy, seed)));
            List<String> changed = changedLines(greedy, child.code());
            assertThat(changed).hasSize(1);
            assertThat(child.summary()).startsWith("operand scaled at line ");
            seen.add(changed.get(0).split(" => ")[1]);
            compiles(child.code());
        }
        assertThat(seen).allMatch(line -> line.matches(
                "(\\} else )?if \\((needOne|needTwo|left)( \\* [0-9.]+)? >= (needOne|needTwo|left)( \\* [0-9.]+)?\\) \\{"))
                .contains("} else if (needTwo >= left * 0.75) {", "if (needOne * 1.5 >= left) {");
    }

    @Test
    void droppedConjunctKeepsOneSideOfAConditionAboutValuesOrStates() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.CONJUNCT_DROPPED))
                    .mutate(Fixtures.request(greedy, seed)));
            assertThat(changedLines(greedy, child.code())).hasSize(1);
            seen.addAll(changedLines(greedy, child.code()));
            compiles(child.code());
        }
        assertThat(seen).containsExactlyInAnyOrder(
                "if (lastClusterType == ClusterType.SPOT && hasSpot) { => if (hasSpot) {",
                "if (lastClusterType == ClusterType.SPOT && hasSpot) { => if (lastClusterType == ClusterType.SPOT) {");
    }

    @Test
    void duplicatedBranchFollowsItsOriginalWithAWiderCondition() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.BRANCH_DUPLICATED))
                    .mutate(Fixtures.request(uniform, seed)));
            assertThat(child.summary()).startsWith("branch duplicated at line ").contains("copied after itself");
            List<String> parent = uniform.lines().toList();
            List<String> lines = child.code().lines().toList();
            assertThat(lines).hasSize(parent.size() + 3);
            int at = 0;
            while (lines.get(at).equals(parent.get(at))) {
                at++;
            }
            // the copy follows the original's closing brace; the original is untouched
            assertThat(lines.subList(at + 3, lines.size())).isEqualTo(parent.subList(at, parent.size()));
            assertThat(lines.get(at - 1)).isEqualTo("        }");
            assertThat(lines.get(at + 1)).isEqualTo(lines.get(at - 2));
            seen.add(lines.get(at).strip());
            compiles(child.code());
        }
        assertThat(seen).allMatch(line -> line.startsWith("if (remaining * 0.") && line.endsWith(" <= 1e-3) {")
                || line.startsWith("if (Math.ceil((remaining + overhead) / env.gapSeconds())")
                        && line.contains(" * ") && line.endsWith(") {"))
                .anyMatch(line -> line.startsWith("if (remaining * 0."))
                .anyMatch(line -> line.contains("Math.floor((d - t) / env.gapSeconds()) * 0."));
    }

    @Test
    void methodBodyComesFromAnInspirationWithTheSameSignature() {
        Program inspiration = Fixtures.program("c-up", uniform);

        Proposal.Code child = code(mutator(MutationSettings.only(MutationKind.METHOD_BODY_FROM_INSPIRATION))
                .mutate(Fixtures.request(greedy, 5, List.of(inspiration))));

        assertThat(child.summary()).contains("body of step(SpotEnv,ClusterType,boolean) from an inspiration");
        assertThat(child.code()).contains("if (t * c / d - (c - remaining) > 0) {")
                .contains("public class GreedySafety implements SpotStrategy")
                .doesNotContain("needTwo");
        assertThat(outsideBlock(child.code())).isEqualTo(outsideBlock(greedy));
        compiles(child.code());
    }

    @Test
    void withoutAnInspirationNoBodyCanBeBorrowed() {
        Proposal proposal = mutator(MutationSettings.only(MutationKind.METHOD_BODY_FROM_INSPIRATION))
                .mutate(Fixtures.request(greedy, 5));

        assertThat(proposal).isInstanceOf(Proposal.Failed.class);
        assertThat(((Proposal.Failed) proposal).reason())
                .isEqualTo("no mutation applies inside the EVOLVE-BLOCK: it has no site for method_body_from_inspiration");
    }

    @Test
    void sameSeedGivesTheSameProposalAndOtherSeedsExploreOtherChildren() {
        OfflineMutator offline = mutator(MutationSettings.defaults());
        List<Program> inspirations = List.of(Fixtures.program("c-up", uniform));
        Set<String> children = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            Proposal first = offline.mutate(Fixtures.request(greedy, seed, inspirations));
            Proposal again = new OfflineMutator(Fixtures.TASK, MutationSettings.defaults(), List.of(), Runnable::run)
                    .mutate(Fixtures.request(greedy, seed, inspirations));
            assertThat(again).isEqualTo(first);
            children.add(code(first).code());
        }
        assertThat(children).hasSizeGreaterThan(20);
    }

    @Test
    void constantsOutsideTheBlockAreNeverTouched() {
        String program = greedy.replace("public class GreedySafety implements SpotStrategy {\n",
                "public class GreedySafety implements SpotStrategy {\n    private static final double OUTSIDE = 42.5;\n");
        OfflineMutator scale = new OfflineMutator(Fixtures.TASK,
                new MutationSettings(java.util.Map.of(MutationKind.CONSTANT_SCALED, 1.0), 3), List.of(), Runnable::run);
        for (long seed = 0; seed < 20; seed++) {
            String child = code(scale.mutate(Fixtures.request(program, seed))).code();
            assertThat(outsideBlock(child)).isEqualTo(outsideBlock(program));
        }
    }

    @ParameterizedTest
    @EnumSource(MutationKind.class)
    void everyKindYieldsACandidateThatCompilesAndKeepsTheCodeOutsideTheBlock(MutationKind kind) {
        OfflineMutator offline = mutator(new MutationSettings(java.util.Map.of(kind, 1.0), 2, false));
        for (String parent : List.of(greedy, uniform)) {
            for (long seed = 0; seed < 2; seed++) {
                if (kind == MutationKind.BRANCH_DUPLICATED && parent == greedy) {
                    continue; // every if of the greedy fixture has an else or no comparison
                }
                ProposalRequest request = Fixtures.request(parent, seed,
                        List.of(Fixtures.program("c-other", parent == greedy ? uniform : greedy)));
                Proposal proposal = offline.propose(request).toCompletableFuture().join();
                if (kind == MutationKind.LOGICAL_OPERATOR_CHANGED && parent == uniform) {
                    assertThat(proposal).isInstanceOf(Proposal.Code.class); // '&&' in the hysteresis test
                }
                Proposal.Code child = code(proposal);
                assertThat(child.generator()).isEqualTo("offline");
                assertThat(child.usage()).isEqualTo(Usage.NONE);
                assertThat(OfflineMutator.parse(child.code())).isPresent();
                assertThat(outsideBlock(child.code())).isEqualTo(outsideBlock(parent));
                compiles(child.code());
            }
        }
    }

    @Test
    void manyDefaultProposalsAllParseAndStayInsideTheBlock() {
        OfflineMutator offline = mutator(MutationSettings.defaults());
        for (long seed = 0; seed < 100; seed++) {
            String parent = seed % 2 == 0 ? greedy : uniform;
            Proposal.Code child = code(offline.mutate(Fixtures.request(parent, seed)));
            assertThat(OfflineMutator.parse(child.code())).as("seed %d: %s", seed, child.summary()).isPresent();
            assertThat(outsideBlock(child.code())).isEqualTo(outsideBlock(parent));
            assertThat(child.code()).isNotEqualTo(parent);
        }
    }

    /** Indices, loop bounds, sentinels, sizes, an argmin and a comparator: what a guarded engine leaves alone. */
    private static final String STRUCTURED = """
            public class Picker {
                // EVOLVE-BLOCK-START
                public int pick(double[] cost, java.util.List<Integer> items) {
                    int best = -1;
                    double bestCost = Double.MAX_VALUE;
                    for (int i = 0; i < cost.length; i++) {
                        if (cost[i] < bestCost) {
                            bestCost = cost[i];
                            best = i;
                        }
                    }
                    items.sort((a, b) -> a > b ? 1 : -1);
                    if (items.size() > 1 && cost[0] > 0.75) {
                        return items.get(0);
                    }
                    double confidence = cost[0] > 2.5 ? 1.0 : 0.5;
                    return confidence >= 0.9 ? best : 7;
                }
                // EVOLVE-BLOCK-END
            }
            """;

    @Test
    void guardedEngineTunesValuesButLeavesIndicesBoundsGuardsAndComparatorsAlone() {
        OfflineMutator offline = mutator(new MutationSettings(MutationSettings.defaults().weights(), 1));
        Set<String> changes = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            Proposal proposal = offline.mutate(Fixtures.request(STRUCTURED, seed));
            changes.addAll(changedLines(STRUCTURED, code(proposal).code()));
        }

        assertThat(changes).isNotEmpty().allSatisfy(change -> {
            String before = change.split(" => ")[0];
            String after = change.split(" => ")[1];
            assertThat(before).doesNotContain("for (", "items.sort", "int best = -1");
            if (before.contains("if (cost[i] < bestCost)")) { // the argmin may break ties the other way, never flip
                assertThat(after).isEqualTo("if (cost[i] <= bestCost) {");
            }
            assertThat(after).doesNotContain("(-"); // no sign flips
            assertThat(after).doesNotMatch(".*\\? (1\\.0*[1-9][0-9]*|[2-9][0-9.]*) : 0\\.5.*"); // 1.0 only shrinks
            if (before.contains("items.size()")) {
                assertThat(after).contains("items.size() > 1 && cost[0] ");
            }
        });
        assertThat(changes).contains("return confidence >= 0.9 ? best : 7; => return confidence > 0.9 ? best : 7;",
                "double confidence = cost[0] > 2.5 ? 1.0 : 0.5; => double confidence = cost[0] > 2.5 ? 0.5 : 1.0;");
    }

    @Test
    void blockWithNothingToMutateFailsWithAReason() {
        String empty = "public class Empty implements Runnable {\n    // EVOLVE-BLOCK-START\n    public void run() {\n    }\n"
                + "    // EVOLVE-BLOCK-END\n}\n";

        Proposal proposal = mutator(MutationSettings.defaults()).mutate(Fixtures.request(empty, 1));

        assertThat(proposal).isEqualTo(new Proposal.Failed("no mutation applies inside the EVOLVE-BLOCK: it has no site for "
                + "constant_scaled, constant_shifted, comparison_changed, condition_negated, branches_swapped, "
                + "enum_constant_changed, rounding_changed, logical_operator_changed, method_body_from_inspiration, "
                + "operand_scaled, conjunct_dropped, branch_duplicated",
                "offline", Usage.NONE));
    }

    @Test
    void parentWithoutMarkersOrForAnotherTaskFails() {
        String unmarked = greedy.replace("// EVOLVE-BLOCK-START", "").replace("// EVOLVE-BLOCK-END", "");
        OfflineMutator offline = mutator(MutationSettings.defaults());

        assertThat(offline.mutate(Fixtures.request(unmarked, 1))).isEqualTo(new Proposal.Failed(
                "the parent has no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END comment lines", "offline", Usage.NONE));
        ProposalRequest other = new ProposalRequest("eplb", "r/0", 1, 1, Fixtures.program("p", greedy), List.of(),
                List.of(), List.of());
        assertThat(((Proposal.Failed) offline.mutate(other)).reason())
                .isEqualTo("the offline mutator serves task 'cant-be-late', not 'eplb'");
    }
}
