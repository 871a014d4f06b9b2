package io.galapagos.controller.generation;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LiteralStringValueExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.type.Type;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which sites the offline engine may edit without likely breaking the program: numbers that tune a
 * policy rather than index, size or bound something, and comparisons and conditions that weigh values
 * rather than guard an index, a loop or an argmin. Types come from the declarations of the program
 * itself and of the task's API (no symbol solver): a name's type is its nearest declaration's.
 */
final class SiteGuard {

    private static final Set<String> FLOATING = Set.of("double", "float", "Double", "Float");
    private static final Set<String> FLOATING_MATH = Set.of("sqrt", "cbrt", "log", "log10", "log1p", "exp", "expm1",
            "pow", "random", "hypot", "sin", "cos", "tan", "atan", "atan2", "ceil", "floor", "rint", "toRadians");
    private static final Set<String> SIZE_CALLS = Set.of("size", "length", "isEmpty", "contains", "containsKey",
            "containsValue", "indexOf", "hasNext", "equals", "isPresent", "isNaN");

    /** Method name to the return types declared for it in the program and the task's API. */
    private final Map<String, Set<String>> returnTypes;

    SiteGuard(List<CompilationUnit> units) {
        Map<String, Set<String>> types = new HashMap<>();
        for (CompilationUnit unit : units) {
            for (MethodDeclaration m : unit.findAll(MethodDeclaration.class)) {
                types.computeIfAbsent(m.getNameAsString(), k -> new java.util.HashSet<>()).add(m.getType().asString());
            }
        }
        this.returnTypes = types;
    }

    // ---- numbers ----------------------------------------------------------------------------------

    /**
     * A literal that tunes a policy: not an integer 0 or ±1 (indices, sentinels, counters), not an
     * integer in an index, a size, a call's argument, a modulus, a bit operation or a loop header.
     */
    boolean tunable(LiteralStringValueExpr literal) {
        if (literal instanceof DoubleLiteralExpr d) {
            return d.asDouble() != 0 && !inLoopHeader(literal);
        }
        long v = literal instanceof LongLiteralExpr l ? l.asNumber().longValue()
                : ((IntegerLiteralExpr) literal).asNumber().longValue();
        if (Math.abs(v) <= 1 || inLoopHeader(literal)) {
            return false;
        }
        Node child = literal;
        for (Optional<Node> p = literal.getParentNode(); p.isPresent(); child = p.get(), p = p.get().getParentNode()) {
            Node parent = p.get();
            if (parent instanceof Statement || parent instanceof VariableDeclarator) {
                return true;
            }
            if (parent instanceof ArrayAccessExpr a && a.getIndex() == child
                    || parent instanceof ArrayCreationExpr || parent instanceof ArrayInitializerExpr
                    || parent instanceof ObjectCreationExpr
                    || parent instanceof MethodCallExpr call && call.getArguments().contains(child) && !math(call)
                    || parent instanceof BinaryExpr b && structural(b.getOperator())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code next} may replace {@code value}: the same sign, and a fraction stays a fraction. */
    static boolean keepsRange(double value, double next) {
        if (next == 0 || Math.signum(next) != Math.signum(value)) {
            return false;
        }
        return Math.abs(value) > 1 || Math.abs(next) <= 1;
    }

    private static boolean structural(BinaryExpr.Operator op) {
        return switch (op) {
            case REMAINDER, LEFT_SHIFT, SIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT, BINARY_AND, BINARY_OR, XOR -> true;
            default -> false;
        };
    }

    private static boolean math(MethodCallExpr call) {
        return call.getScope().filter(s -> s instanceof NameExpr n
                && (n.getNameAsString().equals("Math") || n.getNameAsString().equals("StrictMath"))).isPresent();
    }

    // ---- comparisons and conditions ---------------------------------------------------------------

    /**
     * An ordering comparison ({@code < <= > >=}) of values: one side floating point, or an integer
     * against a threshold of at least 2; not a loop's condition, not in a comparator, not about sizes,
     * lengths or nulls. Changing only its strictness moves the decision at the threshold.
     */
    boolean valueComparison(BinaryExpr b) {
        if (!ordering(b.getOperator()) || inLoopHeader(b) || inComparator(b)
                || aboutStructure(b.getLeft()) || aboutStructure(b.getRight())) {
            return false;
        }
        return floating(b.getLeft()) || floating(b.getRight())
                || threshold(b.getLeft()) || threshold(b.getRight());
    }

    /**
     * A condition whose negation (or whose branches' exchange) keeps the program working: a value
     * comparison (possibly negated or in parentheses), in an {@code if} that does not update a name
     * the condition reads (the argmin pattern {@code if (c < best) best = c;} would never pick).
     */
    boolean negatable(Expression condition) {
        Expression inner = condition;
        while (inner instanceof EnclosedExpr e || inner instanceof UnaryExpr u
                && u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT) {
            inner = inner instanceof EnclosedExpr e ? e.getInner() : ((UnaryExpr) inner).getExpression();
        }
        if (!(inner instanceof BinaryExpr b) || !valueComparison(b)) {
            return false;
        }
        Optional<Node> parent = condition.getParentNode();
        if (parent.isPresent() && parent.get() instanceof IfStmt statement) {
            Set<String> read = new java.util.HashSet<>();
            condition.findAll(NameExpr.class).forEach(n -> read.add(n.getNameAsString()));
            for (AssignExpr assign : statement.findAll(AssignExpr.class)) {
                if (assign.getTarget() instanceof NameExpr target && read.contains(target.getNameAsString())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code a && b} or {@code a || b} where both sides are value comparisons, not guards. */
    boolean valueConjunction(BinaryExpr b) {
        return negatable(b.getLeft()) && negatable(b.getRight());
    }

    /**
     * A condition that weighs values or states rather than guarding an access, so that it may be dropped
     * from a conjunction: a negatable value comparison, an equality with an enum-like constant or a boolean
     * literal, a boolean name, possibly negated, or {@code &&}/{@code ||} of such; never about sizes,
     * lengths or nulls.
     */
    boolean plainCondition(Expression condition) {
        Expression inner = condition;
        while (inner instanceof EnclosedExpr || inner instanceof UnaryExpr u
                && u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT) {
            inner = inner instanceof EnclosedExpr e ? e.getInner() : ((UnaryExpr) inner).getExpression();
        }
        if (inner instanceof NameExpr) {
            return true;
        }
        if (!(inner instanceof BinaryExpr b) || aboutStructure(b.getLeft()) || aboutStructure(b.getRight())) {
            return false;
        }
        return switch (b.getOperator()) {
            case AND, OR -> plainCondition(b.getLeft()) && plainCondition(b.getRight());
            case EQUALS, NOT_EQUALS -> namedConstant(b.getLeft()) || namedConstant(b.getRight());
            default -> negatable(b);
        };
    }

    /** {@code Type.CONSTANT} (an enum constant or a static final) or a boolean literal. */
    private static boolean namedConstant(Expression e) {
        Expression inner = unwrap(e);
        return inner instanceof BooleanLiteralExpr || inner instanceof FieldAccessExpr f
                && f.getNameAsString().matches("[A-Z][A-Z0-9_]*") && f.getScope() instanceof NameExpr scope
                && Character.isUpperCase(scope.getNameAsString().charAt(0));
    }

    private static boolean ordering(BinaryExpr.Operator op) {
        return switch (op) {
            case LESS, LESS_EQUALS, GREATER, GREATER_EQUALS -> true;
            default -> false;
        };
    }

    private static boolean threshold(Expression e) {
        Expression inner = unwrap(e);
        return (inner instanceof IntegerLiteralExpr i && Math.abs(i.asNumber().longValue()) >= 2)
                || (inner instanceof LongLiteralExpr l && Math.abs(l.asNumber().longValue()) >= 2);
    }

    private static boolean aboutStructure(Expression e) {
        return e instanceof NullLiteralExpr
                || e.findAll(MethodCallExpr.class).stream().anyMatch(c -> SIZE_CALLS.contains(c.getNameAsString()))
                || e.findAll(FieldAccessExpr.class).stream().anyMatch(f -> f.getNameAsString().equals("length"))
                || e.findAll(NullLiteralExpr.class).size() > 0;
    }

    /** Whether {@code e} has a floating-point type, as far as declarations tell. */
    boolean floating(Expression e) {
        Expression inner = unwrap(e);
        if (inner instanceof DoubleLiteralExpr) {
            return true;
        }
        if (inner instanceof CastExpr c) {
            return FLOATING.contains(c.getType().asString());
        }
        if (inner instanceof UnaryExpr u) {
            return floating(u.getExpression());
        }
        if (inner instanceof BinaryExpr b) {
            return switch (b.getOperator()) {
                case PLUS, MINUS, MULTIPLY, DIVIDE, REMAINDER -> floating(b.getLeft()) || floating(b.getRight());
                default -> false;
            };
        }
        if (inner instanceof ConditionalExpr c) {
            return floating(c.getThenExpr()) || floating(c.getElseExpr());
        }
        if (inner instanceof NameExpr n) {
            return declaredType(n, n.getNameAsString()).map(t -> FLOATING.contains(t.asString())).orElse(false);
        }
        if (inner instanceof ArrayAccessExpr a) {
            Expression array = a.getName();
            int depth = 1;
            while (array instanceof ArrayAccessExpr nested) {
                array = nested.getName();
                depth++;
            }
            if (array instanceof NameExpr n) {
                int d = depth;
                return declaredType(n, n.getNameAsString()).map(t -> elementFloating(t, d)).orElse(false);
            }
            return false;
        }
        if (inner instanceof MethodCallExpr call) {
            if (math(call)) {
                return FLOATING_MATH.contains(call.getNameAsString()) || call.getArguments().stream().anyMatch(this::floating);
            }
            Set<String> types = returnTypes.getOrDefault(call.getNameAsString(), Set.of());
            return !types.isEmpty() && FLOATING.containsAll(types);
        }
        return false;
    }

    private static boolean elementFloating(Type type, int depth) {
        Type t = type;
        for (int i = 0; i < depth; i++) {
            if (!t.isArrayType()) {
                return false;
            }
            t = t.asArrayType().getComponentType();
        }
        return FLOATING.contains(t.asString());
    }

    /** The type of the nearest declaration of {@code name} visible from {@code use}: local, parameter, field. */
    private static Optional<Type> declaredType(Node use, String name) {
        for (Optional<Node> p = use.getParentNode(); p.isPresent(); p = p.get().getParentNode()) {
            Node scope = p.get();
            if (scope instanceof LambdaExpr lambda) {
                for (Parameter parameter : lambda.getParameters()) {
                    if (parameter.getNameAsString().equals(name)) {
                        return parameter.getType().isUnknownType() ? Optional.empty() : Optional.of(parameter.getType());
                    }
                }
            }
            if (scope instanceof CallableDeclaration<?> callable) {
                for (Parameter parameter : callable.getParameters()) {
                    if (parameter.getNameAsString().equals(name)) {
                        return Optional.of(parameter.getType());
                    }
                }
                Optional<Type> local = callable.findAll(VariableDeclarator.class).stream()
                        .filter(v -> v.getNameAsString().equals(name)).map(VariableDeclarator::getType).findFirst();
                if (local.isPresent()) {
                    return local;
                }
            }
            if (scope instanceof ForEachStmt each) {
                NodeList<VariableDeclarator> vars = each.getVariable().getVariables();
                for (VariableDeclarator v : vars) {
                    if (v.getNameAsString().equals(name)) {
                        return Optional.of(v.getType());
                    }
                }
            }
            if (scope instanceof com.github.javaparser.ast.body.TypeDeclaration<?> type) {
                for (FieldDeclaration field : type.getFields()) {
                    for (VariableDeclarator v : field.getVariables()) {
                        if (v.getNameAsString().equals(name)) {
                            return Optional.of(v.getType());
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Expression unwrap(Expression e) {
        Expression inner = e;
        while (inner instanceof EnclosedExpr enclosed) {
            inner = enclosed.getInner();
        }
        return inner;
    }

    /** Inside a loop's header: its condition, or a for loop's initialisation or update. */
    static boolean inLoopHeader(Node node) {
        Node child = node;
        for (Optional<Node> p = node.getParentNode(); p.isPresent(); child = p.get(), p = p.get().getParentNode()) {
            Node parent = p.get();
            if (parent instanceof ForStmt f) {
                return f.getBody() != child;
            }
            if (parent instanceof WhileStmt w) {
                return w.getCondition() == child;
            }
            if (parent instanceof DoStmt d) {
                return d.getCondition() == child;
            }
            if (parent instanceof Statement) {
                return false;
            }
        }
        return false;
    }

    /** In a comparator (a two-argument lambda, or compare/compareTo), where a changed order breaks its contract. */
    private static boolean inComparator(Node node) {
        for (Optional<Node> p = node.getParentNode(); p.isPresent(); p = p.get().getParentNode()) {
            if (p.get() instanceof LambdaExpr lambda && lambda.getParameters().size() == 2) {
                return true;
            }
            if (p.get() instanceof MethodDeclaration m) {
                return m.getNameAsString().equals("compare") || m.getNameAsString().equals("compareTo");
            }
        }
        return false;
    }
}
