package io.galapagos.controller.generation;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Position;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LiteralStringValueExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.SwitchEntry;
import io.galapagos.protocol.EvolveBlocks;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;

/**
 * The embedded generator that needs no model: parses the parent with JavaParser, makes one or a few
 * small edits inside the EVOLVE-BLOCK (constants, comparisons and their operands, conditions and their
 * conjuncts, branches, enum constants, rounding, a method body from an inspiration) and emits them as SEARCH/REPLACE blocks that go
 * through the same {@link DiffApplier} as a model's answer. Every choice comes from the request's seed.
 */
public final class OfflineMutator implements SolutionGenerator {

    public static final String GENERATOR = "offline";

    /** Mostly small steps, now and then a large one (a quarter, four times) to leave a flat region. */
    private static final double[] SCALE_FACTORS = {0.25, 0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0, 4.0};
    /** Factors a comparison's operand is multiplied by: a threshold around where the decision was. */
    private static final double[] OPERAND_FACTORS = {0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0};
    private static final Set<String> NOT_ENUMS = Set.of("Math", "StrictMath", "Double", "Float", "Integer",
            "Long", "Short", "Byte", "Character", "Boolean", "System");
    /** Tries per mutation before giving up (a site may yield no change, or no unique SEARCH text). */
    private static final int ATTEMPTS = 20;

    private final String taskId;
    private final MutationSettings settings;
    private final List<String> apiSources;
    /** The API parsed once, for the return types of its methods. */
    private final List<CompilationUnit> apiUnits;
    private final Executor executor;

    /** Default settings; enum constants are also taken from the task's candidate API when the task is known. */
    public OfflineMutator(String taskId) {
        this(taskId, MutationSettings.defaults());
    }

    public OfflineMutator(String taskId, MutationSettings settings) {
        this(taskId, settings, TaskRegistry.load().find(taskId).map(Task::candidateApi).stream().toList(),
                ForkJoinPool.commonPool());
    }

    /**
     * @param apiSources Java sources (the task's candidate API) whose enum constants may replace others
     * @param executor   where parsing and mutating run, off the caller's thread
     */
    public OfflineMutator(String taskId, MutationSettings settings, List<String> apiSources, Executor executor) {
        this.taskId = taskId;
        this.settings = settings;
        this.apiSources = List.copyOf(apiSources);
        this.apiUnits = this.apiSources.stream().map(OfflineMutator::parse).flatMap(Optional::stream).toList();
        this.executor = executor;
    }

    /**
     * The offline engine for the task {@code brief} describes: this Java mutator for a Java candidate
     * (enum constants also taken from the brief's candidate API), the {@link TextMutator} for any other
     * language.
     */
    public static SolutionGenerator forBrief(TaskBrief brief) {
        SourceLanguage language = brief.sourceLanguage();
        if (language.isJava()) {
            return new OfflineMutator(brief.taskId(), MutationSettings.defaults(), List.of(brief.candidateApi()),
                    ForkJoinPool.commonPool());
        }
        return new TextMutator(brief.taskId(), language);
    }

    @Override
    public CompletionStage<Proposal> propose(ProposalRequest request) {
        return CompletableFuture.supplyAsync(() -> mutate(request), executor);
    }

    /** The proposal for {@code request}, computed on the calling thread. */
    public Proposal mutate(ProposalRequest request) {
        if (!request.taskId().equals(taskId)) {
            return failed("the offline mutator serves task '" + taskId + "', not '" + request.taskId() + "'");
        }
        SplittableRandom random = new SplittableRandom(request.seed());
        String parent = request.parent().code();
        try {
            EvolveBlocks.of(parent, "the parent");
        } catch (EvolveBlocks.MalformedException e) {
            return failed(e.getMessage());
        }
        Optional<CompilationUnit> parsed = parse(parent);
        if (parsed.isEmpty()) {
            return failed("the parent does not parse as Java; nothing to mutate");
        }
        Map<String, Set<String>> enums = enumConstants(request);
        List<Source> inspirations = request.inspirations().stream()
                .map(p -> Source.of(p.code())).flatMap(Optional::stream).toList();

        int wanted = 1 + random.nextInt(settings.maxMutations());
        String code = parent;
        List<EditBlock> blocks = new ArrayList<>();
        List<String> done = new ArrayList<>();
        Set<String> versions = new HashSet<>(Set.of(parent));
        for (int attempt = 0; blocks.size() < wanted && attempt < ATTEMPTS; attempt++) {
            Optional<Mutation> mutation = mutateOnce(code, blocks.size() + 1, enums, inspirations, random);
            if (mutation.isEmpty()) {
                break;
            }
            DiffApplier.Outcome step = DiffApplier.applyBlocks(code, List.of(mutation.get().block()));
            // A second mutation may undo the first (2 -> 3 -> 2); such a step is dropped.
            if (step instanceof DiffApplier.Applied applied && versions.add(applied.code())) {
                code = applied.code();
                blocks.add(mutation.get().block());
                done.add(mutation.get().description());
            }
        }
        if (blocks.isEmpty()) {
            return failed("no mutation applies inside the EVOLVE-BLOCK: it has no site for "
                    + enabledKinds().stream().map(k -> k.name().toLowerCase()).collect(Collectors.joining(", ")));
        }
        // The blocks, replayed on the parent by the shared applier, are what the proposal is.
        DiffApplier.Outcome outcome = DiffApplier.applyBlocks(parent, blocks);
        if (outcome instanceof DiffApplier.Rejected rejected) {
            return failed("offline mutation did not apply: " + rejected.reason());
        }
        String child = ((DiffApplier.Applied) outcome).code();
        if (parse(child).isEmpty()) {
            return failed("offline mutation produced a program that does not parse: " + String.join("; ", done));
        }
        return new Proposal.Code(child, GENERATOR, String.join("; ", done), Usage.NONE);
    }

    private Proposal failed(String reason) {
        return new Proposal.Failed(reason, GENERATOR, Usage.NONE);
    }

    private List<MutationKind> enabledKinds() {
        List<MutationKind> kinds = new ArrayList<>();
        for (MutationKind k : MutationKind.values()) {
            if (settings.weight(k) > 0) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    /** One edit of {@code code} as a SEARCH/REPLACE block, or empty when no enabled kind has a site. */
    private Optional<Mutation> mutateOnce(String code, int number, Map<String, Set<String>> enums,
            List<Source> inspirations, SplittableRandom random) {
        Optional<Source> parsed = Source.of(code);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Source source = parsed.get();
        EvolveBlocks blocks = EvolveBlocks.of(code, "the program");
        Map<MutationKind, List<Node>> sites = sites(source, blocks, enums, inspirations);
        for (int attempt = 0; attempt < ATTEMPTS && !sites.isEmpty(); attempt++) {
            MutationKind kind = pickKind(sites.keySet(), random);
            List<Node> candidates = sites.get(kind);
            Node site = candidates.get(random.nextInt(candidates.size()));
            Optional<Edit> edit = edit(kind, site, source, enums, inspirations, random);
            if (edit.isEmpty()) {
                continue;
            }
            Optional<EditBlock> block = edit.get().toBlock(source.lines(), blocks, number);
            if (block.isPresent()) {
                String description = kind.name().toLowerCase().replace('_', ' ') + " at line "
                        + edit.get().begin().line + ": " + edit.get().description();
                return Optional.of(new Mutation(block.get(), description));
            }
        }
        return Optional.empty();
    }

    private record Mutation(EditBlock block, String description) {
    }

    private MutationKind pickKind(Set<MutationKind> available, SplittableRandom random) {
        return WeightedChoice.draw(MutationKind.class, available, settings::weight, random);
    }

    // ---- sites ------------------------------------------------------------------------------------

    private Map<MutationKind, List<Node>> sites(Source source, EvolveBlocks blocks, Map<String, Set<String>> enums,
            List<Source> inspirations) {
        Map<MutationKind, List<Node>> sites = new EnumMap<>(MutationKind.class);
        CompilationUnit cu = source.unit();
        List<CompilationUnit> declarations = new ArrayList<>(List.of(cu));
        declarations.addAll(apiUnits);
        SiteGuard guard = new SiteGuard(declarations);
        boolean guarded = settings.guarded();
        List<Node> numbers = new ArrayList<>();
        for (LiteralStringValueExpr literal : cu.findAll(LiteralStringValueExpr.class)) {
            boolean numeric = literal instanceof IntegerLiteralExpr || literal instanceof LongLiteralExpr
                    || literal instanceof DoubleLiteralExpr;
            if (numeric && inside(literal, blocks) && literal.findAncestor(SwitchEntry.class).isEmpty()
                    && literal.findAncestor(AnnotationExpr.class).isEmpty() && (!guarded || guard.tunable(literal))) {
                numbers.add(literal);
            }
        }
        add(sites, MutationKind.CONSTANT_SCALED, numbers);
        add(sites, MutationKind.CONSTANT_SHIFTED, numbers);
        add(sites, MutationKind.COMPARISON_CHANGED, cu.findAll(BinaryExpr.class).stream()
                .filter(b -> comparison(b.getOperator()) && inside(b, blocks) && (!guarded || guard.valueComparison(b)))
                .map(Node.class::cast).toList());
        add(sites, MutationKind.OPERAND_SCALED, cu.findAll(BinaryExpr.class).stream()
                .filter(b -> ordering(b.getOperator()) && inside(b, blocks) && !scalableOperands(b).isEmpty()
                        && (!guarded || guard.negatable(b))).map(Node.class::cast).toList());
        add(sites, MutationKind.BRANCH_DUPLICATED, cu.findAll(IfStmt.class).stream()
                .filter(s -> duplicable(s) && inside(s, blocks) && (!guarded || guard.negatable(s.getCondition())))
                .map(Node.class::cast).toList());
        add(sites, MutationKind.LOGICAL_OPERATOR_CHANGED, cu.findAll(BinaryExpr.class).stream()
                .filter(b -> logical(b.getOperator()) && inside(b, blocks) && (!guarded || guard.valueConjunction(b)))
                .map(Node.class::cast).toList());
        add(sites, MutationKind.CONJUNCT_DROPPED, cu.findAll(BinaryExpr.class).stream()
                .filter(b -> logical(b.getOperator()) && inside(b, blocks)
                        && (!guarded || guard.plainCondition(b.getLeft()) && guard.plainCondition(b.getRight())))
                .map(Node.class::cast).toList());
        List<Node> conditions = new ArrayList<>();
        cu.findAll(IfStmt.class).forEach(s -> conditions.add(s.getCondition()));
        cu.findAll(ConditionalExpr.class).forEach(c -> conditions.add(c.getCondition()));
        add(sites, MutationKind.CONDITION_NEGATED, conditions.stream()
                .filter(c -> inside(c, blocks) && (!guarded || guard.negatable((Expression) c))).toList());
        List<Node> branching = new ArrayList<>();
        cu.findAll(IfStmt.class).stream().filter(s -> s.getElseStmt().isPresent()
                && (!guarded || guard.negatable(s.getCondition()))).forEach(branching::add);
        cu.findAll(ConditionalExpr.class).stream().filter(c -> !guarded || guard.negatable(c.getCondition()))
                .forEach(branching::add);
        add(sites, MutationKind.BRANCHES_SWAPPED, branching.stream().filter(b -> inside(b, blocks)).toList());
        add(sites, MutationKind.ENUM_CONSTANT_CHANGED, cu.findAll(FieldAccessExpr.class).stream()
                .filter(f -> inside(f, blocks) && decidesValue(f) && alternatives(f, enums).size() > 0)
                .map(Node.class::cast).toList());
        add(sites, MutationKind.ROUNDING_CHANGED, cu.findAll(MethodCallExpr.class).stream()
                .filter(c -> rounding(c) && inside(c, blocks)).map(Node.class::cast).toList());
        add(sites, MutationKind.METHOD_BODY_FROM_INSPIRATION, cu.findAll(MethodDeclaration.class).stream()
                .filter(m -> m.getBody().isPresent() && inside(m.getBody().get(), blocks)
                        && donor(m, source, inspirations).isPresent())
                .map(Node.class::cast).toList());
        return sites;
    }

    private void add(Map<MutationKind, List<Node>> sites, MutationKind kind, List<Node> nodes) {
        if (settings.weight(kind) > 0 && !nodes.isEmpty()) {
            sites.put(kind, nodes);
        }
    }

    private static boolean inside(Node node, EvolveBlocks blocks) {
        return node.getRange().map(r -> blocks.regionContaining(r.begin.line - 1, r.end.line).isPresent()).orElse(false);
    }

    private static boolean comparison(BinaryExpr.Operator op) {
        return switch (op) {
            case LESS, LESS_EQUALS, GREATER, GREATER_EQUALS, EQUALS, NOT_EQUALS -> true;
            default -> false;
        };
    }

    private static boolean ordering(BinaryExpr.Operator op) {
        return switch (op) {
            case LESS, LESS_EQUALS, GREATER, GREATER_EQUALS -> true;
            default -> false;
        };
    }

    private static boolean logical(BinaryExpr.Operator op) {
        return op == BinaryExpr.Operator.AND || op == BinaryExpr.Operator.OR;
    }

    /**
     * An {@code if} without {@code else}, in a block, that ends by returning, on an ordering comparison with
     * an operand to scale: a copy after it is reached only where the original did not fire.
     */
    private static boolean duplicable(IfStmt statement) {
        Statement then = statement.getThenStmt();
        Statement last = then instanceof BlockStmt block && block.getStatements().isNonEmpty()
                ? block.getStatements().getLast().orElseThrow() : then;
        return statement.getElseStmt().isEmpty() && !(statement.getParentNode().orElse(null) instanceof IfStmt)
                && statement.getParentNode().orElse(null) instanceof BlockStmt && last instanceof ReturnStmt
                && statement.getCondition() instanceof BinaryExpr b && ordering(b.getOperator())
                && !scalableOperands(b).isEmpty();
    }

    /** The sides of {@code b} a factor may scale: not a number, not already a number times something. */
    private static List<Expression> scalableOperands(BinaryExpr b) {
        return java.util.stream.Stream.of(b.getLeft(), b.getRight()).filter(side -> !numberLiteral(side)
                && !(side instanceof BinaryExpr product && product.getOperator() == BinaryExpr.Operator.MULTIPLY
                        && (numberLiteral(product.getLeft()) || numberLiteral(product.getRight())))).toList();
    }

    /** An operand that needs no parentheses before {@code * factor}. */
    private static boolean primary(Expression side) {
        return side instanceof NameExpr || side instanceof MethodCallExpr || side instanceof FieldAccessExpr
                || side instanceof ArrayAccessExpr || side instanceof EnclosedExpr;
    }

    private static boolean numberLiteral(Expression e) {
        Expression inner = e;
        while (inner instanceof EnclosedExpr || inner instanceof UnaryExpr u
                && u.getOperator() == UnaryExpr.Operator.MINUS) {
            inner = inner instanceof EnclosedExpr enclosed ? enclosed.getInner() : ((UnaryExpr) inner).getExpression();
        }
        return inner instanceof IntegerLiteralExpr || inner instanceof LongLiteralExpr || inner instanceof DoubleLiteralExpr;
    }

    private static boolean rounding(MethodCallExpr call) {
        String name = call.getNameAsString();
        return (name.equals("ceil") || name.equals("floor")) && call.getArguments().size() == 1
                && call.getScope().filter(s -> s instanceof NameExpr n
                        && (n.getNameAsString().equals("Math") || n.getNameAsString().equals("StrictMath"))).isPresent();
    }

    /** A constant that is returned, assigned or initialised, possibly through a conditional expression. */
    private static boolean decidesValue(Node constant) {
        Node node = constant;
        Optional<Node> parent = node.getParentNode();
        while (parent.isPresent() && (parent.get() instanceof ConditionalExpr c && c.getCondition() != node
                || parent.get() instanceof EnclosedExpr)) {
            node = parent.get();
            parent = node.getParentNode();
        }
        if (parent.isEmpty()) {
            return false;
        }
        Node p = parent.get();
        return p instanceof ReturnStmt
                || p instanceof AssignExpr a && a.getValue() == node
                || p instanceof VariableDeclarator v && v.getInitializer().isPresent() && v.getInitializer().get() == node;
    }

    private static List<String> alternatives(FieldAccessExpr access, Map<String, Set<String>> enums) {
        if (!(access.getScope() instanceof NameExpr scope)) {
            return List.of();
        }
        Set<String> constants = enums.getOrDefault(scope.getNameAsString(), Set.of());
        return constants.stream().filter(c -> !c.equals(access.getNameAsString())).toList();
    }

    /** {@code Type.CONSTANT} references in the parent, inspirations and candidate API, grouped by type. */
    private Map<String, Set<String>> enumConstants(ProposalRequest request) {
        Map<String, Set<String>> enums = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        sources.add(request.parent().code());
        request.inspirations().forEach(p -> sources.add(p.code()));
        sources.addAll(apiSources);
        for (String text : sources) {
            Optional<CompilationUnit> unit = parse(text);
            if (unit.isEmpty()) {
                continue;
            }
            for (FieldAccessExpr f : unit.get().findAll(FieldAccessExpr.class)) {
                if (f.getScope() instanceof NameExpr scope && constantName(f.getNameAsString())
                        && Character.isUpperCase(scope.getNameAsString().charAt(0))
                        && !NOT_ENUMS.contains(scope.getNameAsString())) {
                    enums.computeIfAbsent(scope.getNameAsString(), k -> new LinkedHashSet<>()).add(f.getNameAsString());
                }
            }
            unit.get().findAll(com.github.javaparser.ast.body.EnumDeclaration.class).forEach(e -> e.getEntries()
                    .forEach(c -> enums.computeIfAbsent(e.getNameAsString(), k -> new LinkedHashSet<>())
                            .add(c.getNameAsString())));
        }
        return enums;
    }

    private static boolean constantName(String name) {
        return name.matches("[A-Z][A-Z0-9_]*");
    }

    /** The inspiration method with the same name and parameter types and a different body. */
    private static Optional<Donor> donor(MethodDeclaration method, Source source, List<Source> inspirations) {
        String signature = signature(method);
        String body = normalise(source.text(method.getBody().orElseThrow()));
        for (Source inspiration : inspirations) {
            for (MethodDeclaration other : inspiration.unit().findAll(MethodDeclaration.class)) {
                if (other.getBody().isPresent() && signature(other).equals(signature)) {
                    String text = inspiration.text(other.getBody().get());
                    if (!normalise(text).equals(body)) {
                        return Optional.of(new Donor(inspiration, other));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private record Donor(Source source, MethodDeclaration method) {
    }

    private static String signature(MethodDeclaration m) {
        return m.getNameAsString() + m.getParameters().stream().map(p -> p.getType().asString())
                .collect(Collectors.joining(",", "(", ")"));
    }

    private static String normalise(String code) {
        return code.replaceAll("\\s+", " ").strip();
    }

    // ---- edits ------------------------------------------------------------------------------------

    private Optional<Edit> edit(MutationKind kind, Node site, Source source, Map<String, Set<String>> enums,
            List<Source> inspirations, SplittableRandom random) {
        switch (kind) {
            case CONSTANT_SCALED:
            case CONSTANT_SHIFTED:
                return numeric((LiteralStringValueExpr) site, kind == MutationKind.CONSTANT_SCALED, settings.guarded(),
                        random);
            case COMPARISON_CHANGED: {
                BinaryExpr.Operator op = ((BinaryExpr) site).getOperator();
                return operator((BinaryExpr) site, source, settings.guarded() ? strictnessFlipped(op)
                        : otherComparison(op, random));
            }
            case OPERAND_SCALED: {
                BinaryExpr b = (BinaryExpr) site;
                List<Expression> sides = scalableOperands(b);
                Expression side = sides.get(random.nextInt(sides.size()));
                String text = source.text(side);
                String factor = Double.toString(OPERAND_FACTORS[random.nextInt(OPERAND_FACTORS.length)]);
                String replacement = (primary(side) ? text : "(" + text + ")") + " * " + factor;
                return Edit.of(side, replacement, "'" + oneLine(text) + "' -> '" + oneLine(replacement) + "' in '"
                        + oneLine(source.text(b)) + "'");
            }
            case BRANCH_DUPLICATED: {
                IfStmt statement = (IfStmt) site;
                BinaryExpr b = (BinaryExpr) statement.getCondition();
                List<Expression> sides = scalableOperands(b);
                Expression side = sides.get(random.nextInt(sides.size()));
                // Widen: the greater side grows (or the lesser shrinks) so that the copy fires beyond the original.
                boolean greaterSide = (b.getOperator() == BinaryExpr.Operator.GREATER
                        || b.getOperator() == BinaryExpr.Operator.GREATER_EQUALS) == (side == b.getLeft());
                double[] factors = greaterSide ? new double[] {1.1, 1.25, 1.5, 2.0} : new double[] {0.5, 0.75, 0.9};
                String factor = Double.toString(factors[random.nextInt(factors.length)]);
                String text = source.text(side);
                String scaled = (primary(side) ? text : "(" + text + ")") + " * " + factor;
                String copy = source.text(statement.getBegin().orElseThrow(), side.getBegin().orElseThrow().right(-1))
                        + scaled + source.text(side.getEnd().orElseThrow().right(1), statement.getEnd().orElseThrow());
                String original = source.text(statement);
                int indent = source.indentation(statement.getBegin().orElseThrow().line);
                return Edit.of(statement, original + "\n" + " ".repeat(indent) + copy, "'if (" + oneLine(source.text(b))
                        + ")' copied after itself with '" + oneLine(text) + "' -> '" + oneLine(scaled) + "'");
            }
            case CONJUNCT_DROPPED: {
                BinaryExpr b = (BinaryExpr) site;
                // The kept side binds at least as tightly as the whole, so its text needs no parentheses.
                Expression kept = random.nextBoolean() ? b.getLeft() : b.getRight();
                String text = source.text(kept);
                return Edit.of(b, text, "'" + oneLine(source.text(b)) + "' -> '" + oneLine(text) + "'");
            }
            case LOGICAL_OPERATOR_CHANGED: {
                BinaryExpr b = (BinaryExpr) site;
                return operator(b, source, b.getOperator() == BinaryExpr.Operator.AND
                        ? BinaryExpr.Operator.OR : BinaryExpr.Operator.AND);
            }
            case CONDITION_NEGATED:
                return negation((Expression) site, source);
            case BRANCHES_SWAPPED:
                return site instanceof IfStmt statement ? swap(statement, source) : swap((ConditionalExpr) site, source);
            case ENUM_CONSTANT_CHANGED: {
                FieldAccessExpr f = (FieldAccessExpr) site;
                List<String> others = alternatives(f, enums);
                String scope = source.text(f.getScope());
                String replacement = scope + "." + others.get(random.nextInt(others.size()));
                return Edit.of(f, replacement, source.text(f) + " -> " + replacement);
            }
            case ROUNDING_CHANGED: {
                MethodCallExpr call = (MethodCallExpr) site;
                String to = call.getNameAsString().equals("ceil") ? "floor" : "ceil";
                return Edit.of(call.getName(), to, call.getNameAsString() + " -> " + to);
            }
            case METHOD_BODY_FROM_INSPIRATION: {
                MethodDeclaration method = (MethodDeclaration) site;
                Optional<Donor> donor = donor(method, source, inspirations);
                if (donor.isEmpty()) {
                    return Optional.empty();
                }
                String body = reindent(donor.get().source().text(donor.get().method().getBody().orElseThrow()),
                        donor.get().method().getBegin().orElseThrow().column, method.getBegin().orElseThrow().column);
                return Edit.of(method.getBody().orElseThrow(), body, "body of " + signature(method) + " from an inspiration");
            }
            default:
                throw new IllegalStateException("unknown mutation " + kind);
        }
    }

    /** {@code <} and {@code <=} exchanged, {@code >} and {@code >=}: the decision moves only at the threshold. */
    private static BinaryExpr.Operator strictnessFlipped(BinaryExpr.Operator op) {
        return switch (op) {
            case LESS -> BinaryExpr.Operator.LESS_EQUALS;
            case LESS_EQUALS -> BinaryExpr.Operator.LESS;
            case GREATER -> BinaryExpr.Operator.GREATER_EQUALS;
            case GREATER_EQUALS -> BinaryExpr.Operator.GREATER;
            default -> throw new IllegalArgumentException("not an ordering comparison: " + op);
        };
    }

    /** @param guarded the new value keeps the old one's sign, and a fraction stays within [-1, 1] */
    private static Optional<Edit> numeric(LiteralStringValueExpr literal, boolean scale, boolean guarded,
            SplittableRandom random) {
        String old = literal.getValue();
        String replacement;
        if (literal instanceof DoubleLiteralExpr d) {
            double v = d.asDouble();
            double next;
            if (scale && v != 0) {
                next = v * SCALE_FACTORS[random.nextInt(SCALE_FACTORS.length)];
            } else {
                double step = v == 0 ? 1 : Math.pow(10, Math.floor(Math.log10(Math.abs(v))));
                next = v + (random.nextBoolean() ? step : -step);
            }
            next = new BigDecimal(next).round(new MathContext(6)).doubleValue();
            boolean isFloat = old.endsWith("f") || old.endsWith("F");
            String text = isFloat ? Float.toString((float) next) + "f" : Double.toString(next);
            replacement = next < 0 ? "(" + text + ")" : text;
            if (next == v || Double.isInfinite(next) || guarded && !SiteGuard.keepsRange(v, next)) {
                return Optional.empty();
            }
        } else {
            boolean isLong = literal instanceof LongLiteralExpr;
            long v = isLong ? ((LongLiteralExpr) literal).asNumber().longValue()
                    : ((IntegerLiteralExpr) literal).asNumber().longValue();
            long next;
            if (scale && v != 0) {
                double f = SCALE_FACTORS[random.nextInt(SCALE_FACTORS.length)];
                next = Math.round(v * f);
                if (next == v) {
                    next = v + (f > 1 ? 1 : -1);
                }
            } else {
                next = v + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(2));
            }
            if (!isLong && (next > Integer.MAX_VALUE || next < Integer.MIN_VALUE)
                    || guarded && !SiteGuard.keepsRange(v, next)) {
                return Optional.empty();
            }
            String text = next + (isLong ? "L" : "");
            replacement = next < 0 ? "(" + text + ")" : text;
        }
        return Edit.of(literal, replacement, old + " -> " + replacement);
    }

    private static BinaryExpr.Operator otherComparison(BinaryExpr.Operator op, SplittableRandom random) {
        if (op == BinaryExpr.Operator.EQUALS) {
            return BinaryExpr.Operator.NOT_EQUALS;
        }
        if (op == BinaryExpr.Operator.NOT_EQUALS) {
            return BinaryExpr.Operator.EQUALS;
        }
        List<BinaryExpr.Operator> others = new ArrayList<>(List.of(BinaryExpr.Operator.LESS,
                BinaryExpr.Operator.LESS_EQUALS, BinaryExpr.Operator.GREATER, BinaryExpr.Operator.GREATER_EQUALS));
        others.remove(op);
        return others.get(random.nextInt(others.size()));
    }

    /** Replaces the operator token of {@code b}, keeping both operands' text and spacing. */
    private static Optional<Edit> operator(BinaryExpr b, Source source, BinaryExpr.Operator to) {
        String whole = source.text(b);
        String left = source.text(b.getLeft());
        String right = source.text(b.getRight());
        if (!whole.startsWith(left) || !whole.endsWith(right) || left.length() + right.length() > whole.length()) {
            return Optional.empty();
        }
        String between = whole.substring(left.length(), whole.length() - right.length());
        String from = b.getOperator().asString();
        int at = between.indexOf(from);
        if (at < 0) {
            return Optional.empty();
        }
        String replaced = left + between.substring(0, at) + to.asString() + between.substring(at + from.length()) + right;
        return Edit.of(b, replaced, from + " -> " + to.asString() + " in '" + oneLine(whole) + "'");
    }

    private static Optional<Edit> negation(Expression condition, Source source) {
        String text = source.text(condition);
        String replacement;
        if (condition instanceof UnaryExpr u && u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT) {
            Expression inner = u.getExpression();
            replacement = inner instanceof EnclosedExpr e ? source.text(e.getInner()) : source.text(inner);
        } else {
            replacement = "!(" + text + ")";
        }
        return Edit.of(condition, replacement, "'" + oneLine(text) + "' -> '" + oneLine(replacement) + "'");
    }

    private static Optional<Edit> swap(IfStmt statement, Source source) {
        Statement then = statement.getThenStmt();
        Statement otherwise = statement.getElseStmt().orElseThrow();
        Position begin = then.getBegin().orElseThrow();
        Position end = otherwise.getEnd().orElseThrow();
        String between = source.text(then.getEnd().orElseThrow().right(1), otherwise.getBegin().orElseThrow().right(-1));
        int indent = source.indentation(statement.getBegin().orElseThrow().line);
        String first = braced(source.text(otherwise), otherwise, indent);
        String second = braced(source.text(then), then, indent);
        String replacement = first + between + second;
        return Optional.of(new Edit(begin, end, replacement,
                "branches of 'if (" + oneLine(source.text(statement.getCondition())) + ")' exchanged"));
    }

    private static Optional<Edit> swap(ConditionalExpr conditional, Source source) {
        Expression then = conditional.getThenExpr();
        Expression otherwise = conditional.getElseExpr();
        String between = source.text(then.getEnd().orElseThrow().right(1), otherwise.getBegin().orElseThrow().right(-1));
        String replacement = source.text(otherwise) + between + source.text(then);
        return Optional.of(new Edit(then.getBegin().orElseThrow(), otherwise.getEnd().orElseThrow(), replacement,
                "branches of '" + oneLine(source.text(conditional.getCondition())) + " ? ...' exchanged"));
    }

    /** A statement moved into an if's branch; an if statement gets braces so no else is captured. */
    private static String braced(String text, Statement statement, int indent) {
        if (!(statement instanceof IfStmt)) {
            return text;
        }
        String pad = " ".repeat(indent);
        List<String> lines = text.lines().toList();
        StringBuilder out = new StringBuilder("{\n").append(pad).append("    ").append(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            out.append('\n').append("    ").append(line);
        }
        return out.append('\n').append(pad).append('}').toString();
    }

    /** Shifts every line after the first from one method's indentation to another's. */
    private static String reindent(String body, int fromColumn, int toColumn) {
        int delta = toColumn - fromColumn;
        if (delta == 0) {
            return body;
        }
        List<String> lines = body.lines().toList();
        StringBuilder out = new StringBuilder(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            out.append('\n');
            if (delta > 0) {
                out.append(" ".repeat(delta)).append(line);
            } else {
                int strip = 0;
                while (strip < -delta && strip < line.length() && line.charAt(strip) == ' ') {
                    strip++;
                }
                out.append(line.substring(strip));
            }
        }
        return out.toString();
    }

    private static String oneLine(String text) {
        String s = text.replaceAll("\\s+", " ").strip();
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /**
     * The parse of {@code code}, shared: a parent, its inspirations and the API are parsed once, not on every
     * proposal. The trees are only read (edits are cut from the text by position), so threads may share them.
     */
    static Optional<CompilationUnit> parse(String code) {
        return PARSED.get(code);
    }

    /** The few latest sources; a search keeps proposing from the same parents for a while. */
    private static final ParseCache PARSED = new ParseCache(32);

    private static final class ParseCache {
        private final Map<String, Optional<CompilationUnit>> units;

        ParseCache(int capacity) {
            this.units = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Optional<CompilationUnit>> eldest) {
                    return size() > capacity;
                }
            };
        }

        Optional<CompilationUnit> get(String code) {
            synchronized (units) {
                Optional<CompilationUnit> unit = units.get(code);
                if (unit != null) {
                    return unit;
                }
            }
            // parsed outside the lock: two threads may both parse a new source, and either tree serves
            Optional<CompilationUnit> unit = parseAnew(code);
            synchronized (units) {
                units.putIfAbsent(code, unit);
                return units.get(code);
            }
        }
    }

    private static Optional<CompilationUnit> parseAnew(String code) {
        ParserConfiguration configuration = new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
                .setTabSize(1);
        ParseResult<CompilationUnit> result = new JavaParser(configuration).parse(code);
        return result.isSuccessful() ? result.getResult() : Optional.empty();
    }

    /** A parsed program with its lines, for cutting node text out by position. */
    private record Source(List<String> lines, CompilationUnit unit) {

        static Optional<Source> of(String code) {
            return parse(code).map(unit -> new Source(EvolveBlocks.splitLines(code), unit));
        }

        String text(Node node) {
            return text(node.getBegin().orElseThrow(), node.getEnd().orElseThrow());
        }

        /** Text from {@code begin} to {@code end}, both inclusive (JavaParser positions are 1-based). */
        String text(Position begin, Position end) {
            if (begin.line == end.line) {
                return lines.get(begin.line - 1).substring(begin.column - 1, end.column);
            }
            StringBuilder out = new StringBuilder(lines.get(begin.line - 1).substring(begin.column - 1));
            for (int l = begin.line + 1; l < end.line; l++) {
                out.append('\n').append(lines.get(l - 1));
            }
            return out.append('\n').append(lines.get(end.line - 1), 0, end.column).toString();
        }

        int indentation(int line) {
            String s = lines.get(line - 1);
            int i = 0;
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            return i;
        }
    }

    /** Text from {@code begin} to {@code end} (inclusive) replaced by {@code replacement}. */
    private record Edit(Position begin, Position end, String replacement, String description) {

        static Optional<Edit> of(Node node, String replacement, String description) {
            return Optional.of(new Edit(node.getBegin().orElseThrow(), node.getEnd().orElseThrow(), replacement,
                    description));
        }

        /**
         * The block: the touched lines, widened by neighbouring lines of the same EVOLVE-BLOCK until the
         * SEARCH text occurs exactly once; empty when the edit changes nothing or stays ambiguous.
         */
        Optional<EditBlock> toBlock(List<String> lines, EvolveBlocks blocks, int number) {
            int from = begin.line - 1;
            int to = end.line;
            Optional<EvolveBlocks.Region> region = blocks.regionContaining(from, to);
            if (region.isEmpty()) {
                return Optional.empty();
            }
            String head = lines.get(from).substring(0, begin.column - 1);
            String tail = lines.get(to - 1).substring(end.column);
            List<String> changed = EvolveBlocks.splitLines(head + replacement + tail);
            if (changed.equals(lines.subList(from, to))) {
                return Optional.empty();
            }
            int low = region.get().startMarker() + 1;
            int high = region.get().endMarker();
            int before = 0;
            int after = 0;
            while (count(lines, lines.subList(from - before, to + after)) != 1
                    || lines.subList(from - before, to + after).stream().allMatch(String::isBlank)) {
                if (to + after < high && (after <= before || from - before <= low)) {
                    after++;
                } else if (from - before > low) {
                    before++;
                } else {
                    return Optional.empty();
                }
            }
            List<String> search = lines.subList(from - before, to + after);
            List<String> replace = new ArrayList<>(lines.subList(from - before, from));
            replace.addAll(changed);
            replace.addAll(lines.subList(to, to + after));
            return Optional.of(new EditBlock(number, search, replace));
        }

        private static int count(List<String> lines, List<String> search) {
            int n = 0;
            for (int i = 0; i + search.size() <= lines.size(); i++) {
                if (lines.subList(i, i + search.size()).equals(search)) {
                    n++;
                }
            }
            return n;
        }
    }
}
