package io.galapagos.controller.generation;

/** The edits the offline engine makes inside an EVOLVE-BLOCK. */
public enum MutationKind {
    /** A numeric literal multiplied by a factor (0.25 to 4); guarded, only tuning constants, sign and range kept. */
    CONSTANT_SCALED,
    /** A numeric literal moved by a step of its own magnitude (ints by 1 or 2). */
    CONSTANT_SHIFTED,
    /**
     * A comparison operator replaced: guarded, only an ordering comparison of values between strict and
     * non-strict ({@code <} and {@code <=}); unguarded, any ordering ({@code <} by {@code >}, ...) and
     * {@code ==} by {@code !=}.
     */
    COMPARISON_CHANGED,
    /** The condition of an {@code if} or a conditional expression negated (or un-negated). */
    CONDITION_NEGATED,
    /** The branches of an {@code if/else} or a conditional expression exchanged, condition kept. */
    BRANCHES_SWAPPED,
    /** A returned or assigned enum constant replaced by another constant of the same enum. */
    ENUM_CONSTANT_CHANGED,
    /** {@code Math.ceil} and {@code Math.floor} exchanged. */
    ROUNDING_CHANGED,
    /** {@code &&} and {@code ||} exchanged. */
    LOGICAL_OPERATOR_CHANGED,
    /** A method body replaced by the body of the method with the same signature in an inspiration. */
    METHOD_BODY_FROM_INSPIRATION,
    /**
     * One side of an ordering comparison that is not a literal multiplied by a factor (0.5 to 2):
     * {@code need >= left} becomes {@code need >= left * 0.75}, a threshold the constant mutations then tune.
     */
    OPERAND_SCALED,
    /**
     * One side of {@code &&} or {@code ||} removed, the other kept: a condition made weaker or stronger.
     * Guarded, both sides must be value comparisons, enum constants compared or boolean names (never a
     * guard about sizes, lengths or nulls).
     */
    CONJUNCT_DROPPED,
    /**
     * An {@code if} without {@code else} that returns, copied right after itself with one operand of its
     * comparison scaled so that the copy also fires a little beyond the original's threshold: a second,
     * wider branch that later mutations make different from the first.
     */
    BRANCH_DUPLICATED
}
