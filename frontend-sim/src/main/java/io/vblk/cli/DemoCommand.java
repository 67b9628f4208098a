package io.vblk.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vblk demo}: the seed experiment, sync against aio, short enough to watch. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Reproduce the 2008 seed: weights 80/20, 128 processes per device, sync then aio.",
                "Same as: experiment seed --variants sync,aio --repeat 1 --duration 5s --warmup 1s --out results/demo"})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--duration", paramLabel = "D", defaultValue = "5s", description = "measured time per mode (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/demo", description = "charts and logs (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "write every figure as JSON")
    Path json;

    @Option(names = "--quiet", description = "no live line per second")
    boolean quiet;

    @Override
    public Integer call() {
        ExperimentCommand e = new ExperimentCommand();
        e.scenario = "seed";
        e.variants = List.of("sync", "aio");
        e.repeat = 1;
        e.duration = duration;
        e.warmup = "1s";
        e.out = out;
        e.json = json;
        e.quiet = quiet;
        return e.run(System.out, System.err);
    }
}
