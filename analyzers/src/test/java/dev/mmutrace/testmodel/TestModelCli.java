package dev.mmutrace.testmodel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.cli.Mmutrace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * The command line run with the test model's services file on the class path (the thread's
 * context class loader, which {@link java.util.ServiceLoader} reads), for this run only.
 */
public final class TestModelCli {
    private TestModelCli() {
    }

    /** What the run printed on stdout; it must succeed with nothing on stderr. */
    public static String run(String... args) {
        URL services = TestModelCli.class.getResource("/dev/mmutrace/testmodel/services/");
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (URLClassLoader withModel = new URLClassLoader(new URL[] {services}, before)) {
            thread.setContextClassLoader(withModel);
            int exit = Mmutrace.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            assertThat(err.toString()).isEmpty();
            assertThat(exit).isZero();
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            thread.setContextClassLoader(before);
        }
        return out.toString();
    }
}
