package io.galapagos.deploy.bench;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap of another local JVM after a full collection, through the JDK's Attach API and that JVM's local
 * JMX agent. The collection is forced ({@code MemoryMXBean.gc()}) rather than read from the pools' collection
 * usage: G1 updates its old generation's figure only at mixed or full collections, which a quiet heap may not
 * see for many minutes, so each sample would report a stale, arbitrary moment. A forced full collection costs
 * the run some tens of milliseconds per sample and gives its live set every time.
 */
final class HeapProbe implements AutoCloseable {

    private final JMXConnector connector;
    private final MemoryMXBean memory;

    private HeapProbe(JMXConnector connector, MemoryMXBean memory) {
        this.connector = connector;
        this.memory = memory;
    }

    /** Attaches to the JVM of {@code pid} (same user, this machine) and connects to its local management agent. */
    static HeapProbe attach(long pid) throws IOException {
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to pid " + pid + ": " + e.getMessage(), e);
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        return new HeapProbe(connector, memory);
    }

    /** Bytes of heap in use right after a full collection. */
    long heapAfterGc() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the JVM is gone or going: nothing to release on this side
        }
    }
}
