package dev.intunelock.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The CloudWatch Embedded Metric Format lines the function writes to standard output while a test step runs. */
public final class EmfLines {

    private EmfLines() {
    }

    public static List<String> during(Runnable step) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try {
            step.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("{\"_aws\"")).toList();
    }

    /** The EMF lines that report {@code metric}. */
    public static List<String> reporting(List<String> lines, String metric) {
        return lines.stream().filter(line -> line.contains("\"Name\":\"" + metric + "\"")).toList();
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
