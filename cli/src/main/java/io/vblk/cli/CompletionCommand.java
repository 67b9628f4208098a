package io.vblk.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vblk completion bash}: picocli's completion script for every command and option of {@code vblk}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script: source <(./vblk completion bash) (bash and zsh read it)."},
        footer = {"", ExitCodes.ALL})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash (zsh reads the same script through bashcompinit)")
    Shell shell;

    enum Shell { bash }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("vblk", spec.root().commandLine()));
        out.flush();
        return VblkMain.OK;
    }
}
