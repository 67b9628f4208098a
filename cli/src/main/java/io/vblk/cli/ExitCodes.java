package io.vblk.cli;

/** The exit-code footer every command's {@code --help} ends with: one wording, so the commands cannot drift. */
final class ExitCodes {
    private ExitCodes() {}

    static final String ALL = "Exit codes: 0 ok, 1 the run failed, 2 a usage or configuration mistake.";
}
