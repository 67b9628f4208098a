package io.vblk.testing;

import java.util.List;
import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.BeforeContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose tests leaked a buffer: after the class, unreachable buffers are collected and the
 * detector made to report, and any report since the class started fails it with the report's records.
 * Registered for every JUnit Jupiter class by autodetection (junit-platform.properties); jqwik property
 * classes add {@link Jqwik} with {@code @AddLifecycleHook}.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakReports.install();
        context.getStore(NS).put("before", LeakReports.count());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Integer before = context.getStore(NS).get("before", Integer.class);
        check(context.getDisplayName(), before == null ? 0 : before);
    }

    static void check(String where, int before) {
        LeakReports.flush();
        List<String> leaks = LeakReports.since(before);
        if (!leaks.isEmpty()) {
            throw new AssertionError(where + ": Netty reported " + leaks.size() + " leaked buffer(s); the first:\n"
                    + leaks.get(0));
        }
    }

    /** The same check around a jqwik container. */
    public static final class Jqwik implements BeforeContainerHook, AfterContainerHook {
        private static final ThreadLocal<Integer> BEFORE = new ThreadLocal<>();

        @Override
        public void beforeContainer(ContainerLifecycleContext context) {
            LeakReports.install();
            BEFORE.set(LeakReports.count());
        }

        @Override
        public void afterContainer(ContainerLifecycleContext context) {
            Integer before = BEFORE.get();
            BEFORE.remove();
            check(context.label(), before == null ? 0 : before);
        }
    }
}
