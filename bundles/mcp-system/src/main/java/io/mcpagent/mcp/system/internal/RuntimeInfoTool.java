package io.mcpagent.mcp.system.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;

/** {@code runtime_info}: the JVM this platform runs on, its processors, uptime and heap. */
final class RuntimeInfoTool implements SystemTool {
    static final String NAME = "runtime_info";
    private static final long MIB = 1024 * 1024;
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{},"additionalProperties":false}""";
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{\
            "javaVersion":{"type":"string"},"javaVendor":{"type":"string"},"vmName":{"type":"string"},\
            "availableProcessors":{"type":"integer"},"uptimeMillis":{"type":"integer"},\
            "heapUsedBytes":{"type":"integer"},\
            "heapMaxBytes":{"type":["integer","null"],"description":"null when the heap has no defined maximum"}},\
            "required":["javaVersion","javaVendor","vmName","availableProcessors","uptimeMillis","heapUsedBytes",\
            "heapMaxBytes"]}""";

    @Override
    public ToolDescriptor descriptor() {
        return new ToolDescriptor(NAME, "Runtime information",
                "The Java runtime of the platform: JVM version and vendor, available processors, uptime, heap used"
                        + " and maximum.", INPUT_SCHEMA, OUTPUT_SCHEMA, READS_THE_JVM);
    }

    @Override
    public ToolCallResult call(ToolArguments arguments) {
        String version = Runtime.version().toString();
        String vendor = System.getProperty("java.vendor", "");
        String vm = System.getProperty("java.vm.name", "");
        int processors = Runtime.getRuntime().availableProcessors();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        // The MXBean reports -1 for a heap without a maximum.
        Long heapMax = heap.getMax() < 0 ? null : heap.getMax();

        ObjectNode structured = JsonNodeFactory.instance.objectNode().put("javaVersion", version)
                .put("javaVendor", vendor).put("vmName", vm).put("availableProcessors", processors)
                .put("uptimeMillis", uptime).put("heapUsedBytes", heap.getUsed()).put("heapMaxBytes", heapMax);
        String text = "Java " + version + " (" + vendor + ", " + vm + "), " + processors + " processors, up "
                + uptime + " ms, heap " + heap.getUsed() / MIB + " MiB used of "
                + (heapMax == null ? "no maximum" : heapMax / MIB + " MiB max");
        return SystemTool.success(text, structured);
    }
}
