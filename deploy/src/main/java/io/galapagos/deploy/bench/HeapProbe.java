package io.galapagos.deploy.bench;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * The heap of another local JVM after a full collection, through the JDK's Attach API and that JVM's local
 * JMX agent. The collection is forced ({@code MemoryMXBean.gc()}) rather than read from the pools' collection
 * usage: G1 updates its old generation's figure only at mixed or full collections, which a quiet heap may not
 * see for many minutes, so each sample would report a stale, arbitrary moment. A forced full collection costs
 * the run some tens of milliseconds per sample and gives its live set every time. The figure is then read from
 * the pools' collection usage, which that collection has just set, rather than from the heap's usage: a busy run
 * allocates megabytes between the end of the collection and a second remote call, which made the samples of
 * one soak scatter by some 40 MB around its live set.
 */
final class HeapProbe implements AutoCloseable {

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final List<MemoryPoolMXBean> heapPools;

    private HeapProbe(JMXConnector connector, MemoryMXBean memory, List<MemoryPoolMXBean> heapPools) {
        this.connector = connector;
        this.memory = memory;
        this.heapPools = heapPools;
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
        List<MemoryPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(connector.getMBeanServerConnection(),
                MemoryPoolMXBean.class).stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        return new HeapProbe(connector, memory, pools);
    }

    /**
     * Bytes of heap in use right after a full collection: the sum of the heap pools' usage after their latest
     * collection (a young collection since adds at most its survivors); the heap's usage now when a pool does
     * not tell.
     */
    long heapAfterGc() {
        memory.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage afterCollection = pool.getCollectionUsage();
            if (afterCollection == null) {
                return memory.getHeapMemoryUsage().getUsed();
            }
            used += afterCollection.getUsed();
        }
        return heapPools.isEmpty() ? memory.getHeapMemoryUsage().getUsed() : used;
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
