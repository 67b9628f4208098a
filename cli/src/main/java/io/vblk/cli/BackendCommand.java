package io.vblk.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code vblk backend} as the tools' help lists it. The backend runs from a jar of its own (the tools never
 * depend on it), and {@code ./vblk backend} starts that jar; this entry only answers someone who ran the
 * tools' jar with {@code backend} directly.
 */
@Command(name = "backend", mixinStandardHelpOptions = true,
        description = {"Serve devices over the virtio-over-TCP, NBD and vhost-user doors until SIGTERM.",
                "Runs from its own jar: ./vblk backend --config backend.yaml (./vblk backend --help for its options)."},
        footer = {"", ExitCodes.ALL})
final class BackendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("vblk backend: runs from backend/target/vblk-backend.jar; start it with "
                + "./vblk backend " + String.join(" ", args == null ? List.of() : args));
        return VblkMain.USAGE;
    }
}
