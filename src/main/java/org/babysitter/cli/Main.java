package org.babysitter.cli;

import java.io.PrintWriter;

import org.babysitter.engine.data.DataFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code babysitter train | runs | gradcheck | sanity | bench}: the engine without the window. */
@Command(name = "babysitter", mixinStandardHelpOptions = true, version = "Babysitter 0.1",
        description = "Babysit neural-network training from the command line (the desktop app: ./mvnw javafx:run).",
        subcommands = {TrainCommand.class, RunsCommand.class, GradcheckCommand.class, SanityCommand.class, SweepCommand.class, SearchCommand.class, WorkerCommand.class, DownloadCommand.class, DiagnoseCommand.class, InitLessonCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input (unreadable data, invalid option values, a destination that cannot be used, too little memory). */
    public static final int BAD_INPUT = 2;
    /** Exit code of a run stopped by Ctrl-C: 128 + SIGINT's 2, what the JVM itself exits with then. */
    public static final int INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A failure already put in words for the user, with its exit code. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        Failure(String message, int code) {
            super(message, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: train, runs, gradcheck, sanity, sweep, search, worker, download, diagnose, init-lesson or bench");
    }

    public static void main(String[] args) {
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        // After Ctrl-C the JVM is already exiting (with 130) and System.exit would block forever.
        if (!StopOnSignal.shutdownInProgress()) {
            System.exit(code);
        }
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
            if (ex instanceof Failure f) {
                c.getErr().println("babysitter: " + f.getMessage());
                return f.code();
            }
            if (ex instanceof DataFormatException || ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) {
                c.getErr().println("babysitter: " + ex.getMessage());
                return BAD_INPUT;
            }
            if (causeOf(ex, OutOfMemoryError.class) != null) {
                c.getErr().println("babysitter: " + MemoryBudget.outOfMemory("running " + c.getCommandName(),
                        Runtime.getRuntime().maxMemory(), false));
                return BAD_INPUT;
            }
            throw ex;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // an Error thrown by a command passes picocli's handlers
            err.println("babysitter: " + MemoryBudget.outOfMemory("running " + (args.length > 0 ? args[0] : "babysitter"),
                    Runtime.getRuntime().maxMemory(), false));
            return BAD_INPUT;
        }
    }

    /** The first throwable of {@code type} in {@code t}'s cause chain, or null. */
    static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
