package dev.schedbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code schedbench sim}: the built-in simulator without HTTP. */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description = "The built-in vLLM scheduler simulator, in virtual time.",
        subcommands = {SimRunCommand.class})
public final class SimCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
