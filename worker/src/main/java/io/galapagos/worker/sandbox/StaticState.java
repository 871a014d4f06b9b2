package io.galapagos.worker.sandbox;

import io.galapagos.simulators.compile.CandidateClasses;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;

import java.util.Set;

/**
 * Whether a candidate's classes can hold state in static fields. Only such a candidate needs fresh
 * classes for every simulated run (where the task asks for it): loading them per run costs far more
 * than the run itself, and classes without mutable static fields carry nothing from one run to the
 * next (a candidate cannot write the fields of any other class, the bytecode check sees to that).
 */
final class StaticState {

    /** Immutable values: a static final field of these types holds no state a run could change. */
    private static final Set<String> IMMUTABLE = Set.of("Z", "B", "C", "S", "I", "J", "F", "D", "Ljava/lang/String;",
            "Ljava/lang/Boolean;", "Ljava/lang/Byte;", "Ljava/lang/Character;", "Ljava/lang/Short;",
            "Ljava/lang/Integer;", "Ljava/lang/Long;", "Ljava/lang/Float;", "Ljava/lang/Double;");

    private StaticState() {
    }

    /**
     * True when any class declares a static field that is not a final immutable value: a mutable
     * primitive, any reference to an array or object (enum constants too), other than the compiler's
     * synthetic fields.
     */
    static boolean declaredBy(CandidateClasses classes) {
        for (byte[] bytes : classes.classes().values()) {
            boolean[] found = {false};
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                                               Object value) {
                    boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
                    boolean synthetic = (access & Opcodes.ACC_SYNTHETIC) != 0;
                    boolean constant = (access & Opcodes.ACC_FINAL) != 0 && IMMUTABLE.contains(descriptor);
                    if (isStatic && !synthetic && !constant) {
                        found[0] = true;
                    }
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            if (found[0]) {
                return true;
            }
        }
        return false;
    }
}
