package io.galapagos.worker.sandbox;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.reflect.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The deciding check on a Java candidate, run on its compiled classes before any of them is loaded:
 * every class, member and constant they reference must be on the allow-list
 * ({@code candidate-allowlist.txt}), one of the task's API types, or one of the candidate's own
 * classes. Anything else is refused, whatever the source spelled. {@link StaticCheck} keeps giving
 * friendlier messages on the source; this check decides.
 *
 * <p>How to call it:
 * <pre>{@code
 * CandidateClasses compiled = compiler.compileToBytes(source, task.candidateType());
 * BytecodeCheck.Verdict verdict = BytecodeCheck.standard().check(compiled.classes(), apiTypeNames);
 * if (!verdict.passed()) {
 *     return rejected(verdict.message());   // status REJECTED
 * }
 * CompiledCandidate<?> candidate = CandidateCompiler.load(compiled, task.candidateType());
 * }</pre>
 * {@code apiTypeNames} are the binary names of the candidate interface and the types it hands out
 * ({@code io.galapagos.simulators.cantbelate.SpotEnv}); all their members are allowed. A check is
 * immutable and may be shared between threads.
 */
public final class BytecodeCheck {

    /**
     * One forbidden reference.
     *
     * @param className the candidate class holding it (binary name)
     * @param where     the method or field it occurs in, empty for the class declaration
     * @param line      source line, 0 when unknown
     * @param forbidden the class ({@code java.lang.Thread}) or member ({@code java.lang.System.getProperty})
     * @param reason    what the candidate should do instead
     */
    public record Violation(String className, String where, int line, String forbidden, String reason) {
        @Override
        public String toString() {
            String site = simpleName(className) + (where.isEmpty() ? "" : "." + where);
            return (line > 0 ? "line " + line + " (" + site + ")" : site) + ": " + forbidden + " is not allowed: " + reason;
        }

        private static String simpleName(String binaryName) {
            return binaryName.substring(binaryName.lastIndexOf('.') + 1);
        }
    }

    /** The verdict: passed when there are no violations. */
    public record Verdict(List<Violation> violations) {
        private static final int MAX_REPORTED = 10;

        public Verdict {
            violations = List.copyOf(violations);
        }

        public boolean passed() {
            return violations.isEmpty();
        }

        /** The text of a {@code REJECTED} outcome. */
        public String message() {
            String listed = violations.stream().limit(MAX_REPORTED).map(v -> "- " + v).collect(Collectors.joining("\n"));
            int more = violations.size() - MAX_REPORTED;
            return "The candidate was rejected before it ran; its compiled code uses what candidates may not:\n"
                    + listed + (more > 0 ? "\n- and " + more + " more" : "");
        }
    }

    /** The invokedynamic bootstraps javac emits for lambdas, string concatenation and records; no others. */
    private static final Set<String> BOOTSTRAPS = Set.of(
            "java/lang/invoke/LambdaMetafactory.metafactory",
            "java/lang/invoke/LambdaMetafactory.altMetafactory",
            "java/lang/invoke/StringConcatFactory.makeConcatWithConstants",
            "java/lang/invoke/StringConcatFactory.makeConcat",
            "java/lang/runtime/ObjectMethods.bootstrap");

    private static final String LAMBDA_FACTORY = "java/lang/invoke/LambdaMetafactory";
    private static final String REFLECTION = "reflection, method handles and dynamic constants are not allowed";

    private static final class Standard {
        static final BytecodeCheck INSTANCE = new BytecodeCheck(CandidateAllowList.standard(), BytecodeCheck.class.getClassLoader());
    }

    private final CandidateAllowList allowList;
    private final ClassLoader classPath;
    private final Map<String, Set<String>> memberNames = new ConcurrentHashMap<>();

    private BytecodeCheck(CandidateAllowList allowList, ClassLoader classPath) {
        this.allowList = allowList;
        this.classPath = classPath;
    }

    /** The check with the worker's allow-list; the JDK's and the tasks' classes are looked up on this class's loader. */
    public static BytecodeCheck standard() {
        return Standard.INSTANCE;
    }

    /**
     * Checks {@code classes} (binary name to class file, every class of the candidate) against the
     * allow-list plus {@code apiTypes} (binary names of the task's API types).
     */
    public Verdict check(Map<String, byte[]> classes, Set<String> apiTypes) {
        return new Run(classes, apiTypes).verdict();
    }

    /** What pass one learns about a candidate class: enough to resolve calls on it. */
    private record Header(String superName, List<String> interfaces, Set<String> methods, Set<String> fields) {
    }

    /** One check of one candidate. */
    private final class Run {
        private final Map<String, byte[]> bytes;
        private final Set<String> api;
        private final Map<String, Header> candidates = new HashMap<>();
        private final Set<Violation> found = new LinkedHashSet<>();

        Run(Map<String, byte[]> bytes, Set<String> apiTypes) {
            this.bytes = bytes;
            this.api = apiTypes.stream().map(n -> n.replace('.', '/')).collect(Collectors.toSet());
        }

        Verdict verdict() {
            Map<String, ClassReader> readers = new HashMap<>();
            for (Map.Entry<String, byte[]> entry : bytes.entrySet()) {
                String binaryName = entry.getKey();
                try {
                    ClassReader reader = new ClassReader(entry.getValue());
                    String name = reader.getClassName();
                    if (!isBinaryName(name)) {
                        found.add(new Violation(binaryName, "", 0, "class name " + name, "not a Java class name"));
                        continue;
                    }
                    if (!name.equals(binaryName.replace('.', '/'))) {
                        found.add(new Violation(binaryName, "", 0, display(name),
                                "the class file declares another class than its name says"));
                        continue;
                    }
                    if (classPath.getResource(name + ".class") != null) {
                        found.add(new Violation(binaryName, "", 0, binaryName,
                                "a candidate class may not take the name of a class of the JDK, the harness or a library; rename it"));
                        continue;
                    }
                    HeaderReader header = new HeaderReader();
                    reader.accept(header, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
                    candidates.put(name, header.header());
                    readers.put(name, reader);
                } catch (RuntimeException e) {
                    found.add(new Violation(binaryName, "", 0, binaryName, "not a readable class file"));
                }
            }
            for (Map.Entry<String, ClassReader> entry : readers.entrySet()) {
                try {
                    entry.getValue().accept(new ClassChecker(entry.getKey()), ClassReader.SKIP_FRAMES);
                } catch (RuntimeException e) {
                    found.add(new Violation(display(entry.getKey()), "", 0, display(entry.getKey()), "not a readable class file"));
                }
            }
            return new Verdict(withoutRedundantTypes(List.copyOf(found)));
        }

        /** {@code new Thread()} is reported once, as {@code java.lang.Thread.<init>}, not also as {@code java.lang.Thread}. */
        private List<Violation> withoutRedundantTypes(List<Violation> all) {
            Set<Violation> owners = new HashSet<>();
            for (Violation v : all) {
                for (int dot = v.forbidden().indexOf('.'); dot > 0; dot = v.forbidden().indexOf('.', dot + 1)) {
                    owners.add(new Violation(v.className(), v.where(), v.line(), v.forbidden().substring(0, dot), ""));
                }
            }
            return all.stream().filter(v -> !owners.contains(new Violation(v.className(), v.where(), v.line(), v.forbidden(), "")))
                    .toList();
        }

        void type(Type type, Site site) {
            Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
            if (element.getSort() == Type.METHOD) {
                site.refuse(display(type.getDescriptor()), REFLECTION);
            } else if (element.getSort() == Type.OBJECT) {
                String name = element.getInternalName();
                if (!candidates.containsKey(name) && !api.contains(name) && !allowList.allowsType(name)) {
                    site.refuse(display(name), allowList.reason(display(name)));
                }
            }
        }

        /** An internal name or, for arrays, a descriptor (ASM's convention for owners and type operands). */
        void typeName(String internalName, Site site) {
            type(Type.getObjectType(internalName), site);
        }

        void member(String owner, String name, String descriptor, boolean field, Site site) {
            Optional<String> denied = allowList.deniedName(name);
            if (denied.isPresent()) {
                site.refuse(display(owner) + "." + name, denied.get());
                return;
            }
            String resolved = owner;
            if (owner.startsWith("[")) {
                typeName(owner, site);
                resolved = "java/lang/Object";
            }
            if (candidates.containsKey(resolved)) {
                inherited(resolved, name, descriptor, field, site);
            } else if (!api.contains(resolved) && !allowList.allowsMember(resolved, name)) {
                String forbidden = display(resolved) + "." + name;
                site.refuse(forbidden, allowList.reason(forbidden));
            }
        }

        /**
         * A member named on a candidate class is the candidate's own, or inherited from a supertype
         * outside the candidate: then it is judged as that supertype's member.
         */
        private void inherited(String owner, String name, String descriptor, boolean field, Site site) {
            Set<String> outside = new LinkedHashSet<>();
            if (declaredByCandidate(owner, field ? name : name + descriptor, field, new HashSet<>(), outside)) {
                return;
            }
            for (String supertype : outside) {
                if (api.contains(supertype) || !declares(supertype, name)) {
                    continue;
                }
                if (!allowList.allowsMember(supertype, name)) {
                    String forbidden = display(supertype) + "." + name;
                    site.refuse(forbidden, allowList.reason(forbidden));
                }
            }
        }

        private boolean declaredByCandidate(String type, String key, boolean field, Set<String> seen, Set<String> outside) {
            if (!seen.add(type)) {
                return false;
            }
            Header header = candidates.get(type);
            if (header == null) {
                outside.add(type);
                return false;
            }
            if ((field ? header.fields() : header.methods()).contains(key)) {
                return true;
            }
            List<String> supertypes = new ArrayList<>(header.interfaces());
            supertypes.add(0, header.superName() == null ? "java/lang/Object" : header.superName());
            boolean declared = false;
            for (String supertype : supertypes) {
                declared |= declaredByCandidate(supertype, key, field, seen, outside);
            }
            return declared;
        }

        void handle(Handle handle, Site site) {
            boolean field = handle.getTag() <= Opcodes.H_PUTSTATIC;
            if (!handle.getOwner().startsWith("[")) {
                typeName(handle.getOwner(), site);
            }
            member(handle.getOwner(), handle.getName(), handle.getDesc(), field, site);
        }

        void invokeDynamic(String descriptor, Handle bootstrap, Object[] arguments, Site site) {
            String name = bootstrap.getOwner() + "." + bootstrap.getName();
            if (bootstrap.getTag() != Opcodes.H_INVOKESTATIC || !BOOTSTRAPS.contains(name)) {
                site.refuse("invokedynamic with bootstrap " + display(name),
                        "only lambdas, method references, string concatenation and records may use invokedynamic");
                return;
            }
            if (bootstrap.getOwner().equals(LAMBDA_FACTORY)) {
                type(Type.getReturnType(descriptor), site);
            }
            for (Object argument : arguments) {
                if (argument instanceof Handle h) {
                    handle(h, site);
                } else if (argument instanceof Type t && t.getSort() != Type.METHOD) {
                    type(t, site);
                } else if (argument instanceof ConstantDynamic c) {
                    site.refuse("dynamic constant " + c.getName(), REFLECTION);
                }
            }
        }

        /** Whether JDK or API type {@code owner} (or one of its supertypes) declares a member called {@code name}. */
        private boolean declares(String owner, String name) {
            Set<String> names = memberNames.computeIfAbsent(owner, this::memberNamesOf);
            return names.isEmpty() || names.contains(name);
        }

        /** Every member name of a type and its supertypes; empty when the type cannot be loaded (then assume it declares all). */
        private Set<String> memberNamesOf(String owner) {
            Class<?> type;
            try {
                type = Class.forName(owner.replace('/', '.'), false, classPath);
            } catch (ClassNotFoundException | LinkageError e) {
                return Set.of();
            }
            Set<String> names = new HashSet<>(Set.of("<init>"));
            List<Class<?>> pending = new ArrayList<>(List.of(type));
            Set<Class<?>> seen = new HashSet<>();
            try {
                while (!pending.isEmpty()) {
                    Class<?> current = pending.remove(pending.size() - 1);
                    if (current == null || !seen.add(current)) {
                        continue;
                    }
                    Stream.of(current.getDeclaredMethods()).map(Member::getName).forEach(names::add);
                    Stream.of(current.getDeclaredFields()).map(Member::getName).forEach(names::add);
                    pending.add(current.getSuperclass());
                    pending.addAll(List.of(current.getInterfaces()));
                }
            } catch (LinkageError e) {
                return Set.of();
            }
            return Set.copyOf(names);
        }

        /** Pass one: what a candidate class declares. */
        private static final class HeaderReader extends ClassVisitor {
            private String superName;
            private List<String> interfaces = List.of();
            private final Set<String> methods = new HashSet<>();
            private final Set<String> fields = new HashSet<>();

            HeaderReader() {
                super(Opcodes.ASM9);
            }

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                this.superName = superName;
                this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                fields.add(name);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                methods.add(name + descriptor);
                return null;
            }

            Header header() {
                return new Header(superName, interfaces, Set.copyOf(methods), Set.copyOf(fields));
            }
        }

        /** Where a reference occurs; {@code line} follows the line number table as the code is read. */
        private final class Site {
            private final String className;
            private final String where;
            private int line;

            Site(String className, String where) {
                this.className = className;
                this.where = where;
            }

            void refuse(String forbidden, String reason) {
                found.add(new Violation(className, where, line, forbidden, reason));
            }
        }

        /** Pass two: every reference in a candidate class. */
        private final class ClassChecker extends ClassVisitor {
            private final String className;

            ClassChecker(String internalName) {
                super(Opcodes.ASM9);
                this.className = display(internalName);
            }

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                Site site = new Site(className, "");
                if (superName != null) {
                    typeName(superName, site);
                }
                for (String implemented : interfaces == null ? new String[0] : interfaces) {
                    typeName(implemented, site);
                }
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                type(Type.getType(descriptor), new Site(className, name));
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                Site site = new Site(className, describeMethod(name));
                if ((access & Opcodes.ACC_NATIVE) != 0) {
                    site.refuse("native method " + name, "native code is not allowed");
                }
                if (name.equals("finalize") && descriptor.equals("()V")) {
                    site.refuse("finalize()", allowList.deniedName("finalize")
                            .orElse("finalizers run on the JVM's finalizer thread"));
                }
                Type method = Type.getMethodType(descriptor);
                type(method.getReturnType(), site);
                for (Type argument : method.getArgumentTypes()) {
                    type(argument, site);
                }
                for (String thrown : exceptions == null ? new String[0] : exceptions) {
                    typeName(thrown, site);
                }
                return new CodeChecker(site);
            }
        }

        /** The instructions of one method. */
        private final class CodeChecker extends MethodVisitor {
            private final Site site;
            /** Catch types by handler label: reported at the handler's line, which is known only when the code gets there. */
            private final Map<Label, List<String>> catchTypes = new HashMap<>();
            private final List<String> reachedCatchTypes = new ArrayList<>();

            CodeChecker(Site site) {
                super(Opcodes.ASM9);
                this.site = site;
            }

            @Override
            public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                if (type != null) {
                    catchTypes.computeIfAbsent(handler, k -> new ArrayList<>()).add(type);
                }
            }

            @Override
            public void visitLabel(Label label) {
                reachedCatchTypes.addAll(catchTypes.getOrDefault(label, List.of()));
                catchTypes.remove(label);
            }

            @Override
            public void visitLineNumber(int line, Label start) {
                site.line = line;
            }

            private void instruction() {
                if (!reachedCatchTypes.isEmpty()) {
                    reachedCatchTypes.forEach(t -> typeName(t, site));
                    reachedCatchTypes.clear();
                }
            }

            @Override
            public void visitInsn(int opcode) {
                instruction();
                if (opcode == Opcodes.MONITORENTER) {
                    // A monitor held on a shared object (System.out, a Class, an interned string) could stall the harness.
                    site.refuse("synchronized block", "a candidate runs alone on the simulator's thread: remove the "
                            + "synchronized block (synchronized methods are fine)");
                }
            }

            @Override
            public void visitIntInsn(int opcode, int operand) {
                instruction();
            }

            @Override
            public void visitVarInsn(int opcode, int varIndex) {
                instruction();
            }

            @Override
            public void visitJumpInsn(int opcode, Label label) {
                instruction();
            }

            @Override
            public void visitIincInsn(int varIndex, int increment) {
                instruction();
            }

            @Override
            public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                instruction();
            }

            @Override
            public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                instruction();
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
                instruction();
                typeName(type, site);
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                instruction();
                typeName(owner, site);
                member(owner, name, descriptor, true, site);
                boolean write = opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC;
                if (write && !candidates.containsKey(owner)) {
                    // API and JDK objects outlive the candidate (and its class loader): their state is not the candidate's to change.
                    site.refuse("assignment to " + display(owner) + "." + name, "a candidate may assign only its own fields");
                }
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                instruction();
                typeName(owner, site);
                member(owner, name, descriptor, false, site);
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
                instruction();
                invokeDynamic(descriptor, bootstrap, arguments, site);
            }

            @Override
            public void visitLdcInsn(Object value) {
                instruction();
                if (value instanceof Type t && t.getSort() == Type.METHOD) {
                    site.refuse("method type constant " + t.getDescriptor(), REFLECTION);
                } else if (value instanceof Type t) {
                    type(t, site);
                } else if (value instanceof Handle h) {
                    site.refuse("method handle constant " + display(h.getOwner()) + "." + h.getName(), REFLECTION);
                } else if (value instanceof ConstantDynamic c) {
                    site.refuse("dynamic constant " + c.getName(), REFLECTION);
                }
            }

            @Override
            public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                instruction();
                type(Type.getType(descriptor), site);
            }

            @Override
            public void visitEnd() {
                reachedCatchTypes.addAll(catchTypes.values().stream().flatMap(List::stream).toList());
                instruction();
            }
        }
    }

    /** {@code decide}, {@code constructor}, {@code lambda in decide}: how a model recognises the place in its source. */
    private static String describeMethod(String name) {
        if (name.equals("<init>")) {
            return "constructor";
        }
        if (name.equals("<clinit>")) {
            return "static initializer";
        }
        if (name.startsWith("lambda$")) {
            String[] parts = name.split("\\$");
            String enclosing = parts.length > 1 ? parts[1] : "";
            return "lambda in " + (enclosing.equals("new") ? "constructor" : enclosing.equals("static") ? "static initializer" : enclosing);
        }
        return name;
    }

    /** {@code a/b/C$1}: Java identifiers separated by slashes, nothing a class loader could read as a path. */
    private static boolean isBinaryName(String internalName) {
        for (String segment : internalName.split("/", -1)) {
            if (segment.isEmpty() || !Character.isJavaIdentifierStart(segment.charAt(0))
                    || !segment.chars().allMatch(Character::isJavaIdentifierPart)) {
                return false;
            }
        }
        return true;
    }

    private static String display(String internalName) {
        return internalName.replace('/', '.');
    }
}
