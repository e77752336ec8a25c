package org.babysitter.cli;

import java.io.PrintWriter;

import org.babysitter.engine.data.DataFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code babysitter train | gradcheck | sanity | bench}: the engine without the window. */
@Command(name = "babysitter", mixinStandardHelpOptions = true, version = "Babysitter 0.1",
        description = "Babysit neural-network training from the command line (the desktop app: ./mvnw javafx:run).",
        subcommands = {TrainCommand.class, GradcheckCommand.class, SanityCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input (unreadable data, invalid option values). */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: train, gradcheck, sanity or bench");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line, printing to the given writers; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Choices.register(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("babysitter: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof DataFormatException || ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) {
                c.getErr().println("babysitter: " + ex.getMessage());
                return BAD_INPUT;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
