package io.galapagos.worker.sandbox;

import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.compile.CandidateClasses;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Main class of the pool's compiler JVM: a jailed process that compiles candidates' sources and never
 * loads nor runs any of them, so that it can stay warm for thousands of candidates. Each source gets a
 * compiler task and an output map of its own (see {@link CandidateCompiler}); a source that makes the
 * compiler fail in an unexpected way ends this JVM, and the pool starts another.
 */
public final class CompilerChild {

    private static final String WARM_UP = "public class WarmUp implements Runnable { public void run() { } }";

    private final PrintStream protocol;
    private final TaskRegistry tasks = TaskRegistry.load();
    private final CandidateCompiler compiler = new CandidateCompiler();

    private CompilerChild(PrintStream protocol) {
        this.protocol = protocol;
    }

    public static void main(String[] args) throws IOException {
        // the reply channel is taken before javac runs; anything else printed goes to the diagnostics
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        BufferedReader requests = new BufferedReader(
                new InputStreamReader(new FileInputStream(FileDescriptor.in), StandardCharsets.UTF_8));
        System.setOut(System.err);
        System.setIn(new ByteArrayInputStream(new byte[0]));

        CompilerChild child = new CompilerChild(protocol);
        child.warmUp();
        child.send(ChildProtocol.Reply.ready(ProcessHandle.current().pid()));
        String line;
        while ((line = requests.readLine()) != null) {
            if (!line.isBlank()) {
                ChildProtocol.CompileRequest request = ChildProtocol.REQUESTS.readValue(line,
                        ChildProtocol.CompileRequest.class);
                ChildProtocol.CompileReply reply = compile(child, request);
                child.send(reply);
                if (!ChildProtocol.CompileReply.CLASSES.equals(reply.type())
                        && !ChildProtocol.CompileReply.ERRORS.equals(reply.type())) {
                    return;  // the compiler's stack overflowed or it failed: a fresh JVM is cleaner than what is left
                }
            }
        }
    }

    private void warmUp() {
        try {
            compiler.compileToBytes(WARM_UP, Runnable.class);
        } catch (CompilationException e) {
            throw new IllegalStateException("the compiler cannot compile a trivial class: " + e.getMessage(), e);
        }
    }

    private static ChildProtocol.CompileReply compile(CompilerChild child, ChildProtocol.CompileRequest request) {
        Optional<Task<?>> task = child.tasks.find(request.taskId());
        if (task.isEmpty()) {
            return errors(request, List.of(new CompilationException.Problem(0, 0,
                    "the compiler does not know task '" + request.taskId() + "'", null)));
        }
        try {
            CandidateClasses classes = child.compiler.compileToBytes(request.source(), task.get().candidateType());
            return new ChildProtocol.CompileReply(ChildProtocol.CompileReply.CLASSES, request.id(), request.nonce(),
                    classes.publicClass(), classes.classes(), List.of());
        } catch (CompilationException e) {
            return errors(request, e.problems());
        } catch (StackOverflowError e) {
            return new ChildProtocol.CompileReply(ChildProtocol.CompileReply.TOO_DEEP, request.id(), request.nonce(),
                    "", Map.of(), List.of());
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // javac's own failure on a strange source: tell the parent which one, then make way for a fresh JVM
            return new ChildProtocol.CompileReply(ChildProtocol.CompileReply.FAILED, request.id(), request.nonce(),
                    "", Map.of(), List.of(new CompilationException.Problem(0, 0, String.valueOf(e), null)));
        }
    }

    private static ChildProtocol.CompileReply errors(ChildProtocol.CompileRequest request,
                                                     List<CompilationException.Problem> problems) {
        return new ChildProtocol.CompileReply(ChildProtocol.CompileReply.ERRORS, request.id(), request.nonce(), "",
                Map.of(), problems);
    }

    private void send(Object reply) throws IOException {
        protocol.println(ChildProtocol.REQUESTS.writeValueAsString(reply));
        protocol.flush();
        if (protocol.checkError()) {
            throw new IOException("the sandbox parent stopped reading");
        }
    }
}
