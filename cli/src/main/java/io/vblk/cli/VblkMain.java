package io.vblk.cli;

import io.vblk.config.ConfigException;
import io.vblk.config.SettingException;
import io.vblk.load.LoadException;
import io.vblk.logs.LogException;
import io.vblk.config.Version;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code vblk} command. Subcommands are listed in {@code subcommands}; each returns its exit code:
 * 0 ok, 1 the run failed, 2 usage or config error. Known failures print one line, without a stack trace.
 */
@Command(name = "vblk", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "User-space virtio-blk style block backend emulator: guest simulator and tools.",
        footer = {"", ExitCodes.ALL},
        subcommands = {BackendCommand.class, LoadCommand.class, CtlCommand.class, DemoCommand.class, ExperimentCommand.class,
                BenchCommand.class, LogsCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class VblkMain implements Callable<Integer> {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    /** {@code vblk} alone is a usage mistake like any other missing argument: the help, on stderr, and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: tests call {@code execute} on it with their own out and err writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VblkMain());
        cl.setExecutionExceptionHandler(VblkMain::handle);
        cl.setParameterExceptionHandler(VblkMain::usage);
        return cl;
    }

    /** A mistake on the command line: the message and where to read more, not the whole usage text. */
    private static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cl.getErr())) {
            cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        return USAGE;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof ConfigException) {
            cl.getErr().println(e.getMessage());
            return USAGE;
        }
        if (e instanceof SettingException) {
            // a token or certificate file named by a scenario, found unusable when the load side opened it
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return USAGE;
        }
        if (e instanceof LogException) {
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return USAGE;
        }
        if (e instanceof LoadException) {
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return ((LoadException) e).exitCode();
        }
        if (e instanceof UncheckedIOException) {
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getCause().getMessage());
            return USAGE;
        }
        throw e;
    }
}
