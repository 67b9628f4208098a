package io.vblk.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs {@link LeakReports} when the test run opens, before any engine loads a test class. */
public final class LeakSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakReports.install();
    }
}
