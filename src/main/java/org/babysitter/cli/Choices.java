package org.babysitter.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.Batching;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * How option values are written on the command line and shown in {@code --help}: enum choices by their lower-case
 * names ({@code leaky_relu}, what one types, not the labels the window shows such as "leaky ReLU"), paths with a
 * message a person can act on, and defaults exactly as the configs hold them ({@code 1e-4}, not {@code 1.0E-4}).
 */
final class Choices {
    /** The enums the options take: each gets a converter ({@link #register}) and, in the help, its lower-case names. */
    static final List<Class<? extends Enum<?>>> ENUMS = List.of(Activation.class, WeightInit.Kind.class, LossKind.class,
            UpdateRuleKind.class, Preprocessing.class, Batching.class, TrainOptions.Preset.class);

    private Choices() {
    }

    /** Registers the converters on a command line and all its subcommands. */
    static void register(CommandLine cl) {
        register(cl, Activation.class);
        register(cl, WeightInit.Kind.class);
        register(cl, LossKind.class);
        register(cl, UpdateRuleKind.class);
        register(cl, Preprocessing.class);
        register(cl, Batching.class);
        register(cl, TrainOptions.Preset.class);
        cl.registerConverter(Path.class, Choices::path);
        cl.setDefaultValueProvider(Choices::defaultValue);
    }

    private static <E extends Enum<E>> void register(CommandLine cl, Class<E> type) {
        cl.registerConverter(type, s -> parse(type, s));
    }

    /** The lower-case name of a choice, as typed: {@code LEAKY_RELU} is {@code leaky_relu}. */
    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** All names of an enum, comma-separated. */
    static String names(Class<? extends Enum<?>> type) {
        return String.join(", ", Arrays.stream(type.getEnumConstants()).map(Choices::name).toList());
    }

    /** A choice by name, ignoring case; '-' may stand for '_' ({@code leaky-relu}). */
    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        String wanted = text.strip().replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(wanted)) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("expected one of " + names(type) + " but was '" + text + "'");
    }

    /**
     * A path; one that the system cannot represent is said so: under {@code LANG=C} the JVM decodes arguments and
     * file names as ASCII, and a name with other characters is then an {@link InvalidPathException}.
     */
    static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            if (text.indexOf('\0') >= 0) {
                throw new CommandLine.TypeConversionException("'" + text.replace('\0', '?') + "' contains a NUL character,"
                        + " which no file name can hold");
            }
            String encoding = System.getProperty("sun.jnu.encoding", java.nio.charset.Charset.defaultCharset().name());
            throw new CommandLine.TypeConversionException("'" + text + "' has characters that file names cannot hold in"
                    + " this locale's encoding (" + encoding + "): run under a UTF-8 locale, e.g. LANG=C.UTF-8");
        }
    }

    /**
     * The default of an option without an annotated one: its field's initial value (the configs' defaults), written
     * exactly: numbers by {@link Numbers#exact}, lists comma-separated, choices by name. picocli converts this text
     * back into the field, so what {@code --help} shows is what is used.
     */
    static String defaultValue(ArgSpec arg) {
        if (arg.defaultValue() != null) {
            return null;
        }
        Object v = arg.initialValue();
        if (v instanceof Double d) {
            return Numbers.exact(d);
        }
        if (v instanceof Enum<?> e && ENUMS.contains(e.getDeclaringClass())) {
            return name(e);
        }
        if (v instanceof List<?> list && !list.isEmpty()) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return null;
    }

    /** {@code completionCandidates} for the help's {@code ${COMPLETION-CANDIDATES}}: the names one can type. */
    abstract static class Candidates implements Iterable<String> {
        private final Class<? extends Enum<?>> type;

        Candidates(Class<? extends Enum<?>> type) {
            this.type = type;
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(type.getEnumConstants()).map(Choices::name).iterator();
        }
    }

    static final class Activations extends Candidates {
        Activations() {
            super(Activation.class);
        }
    }

    static final class Inits extends Candidates {
        Inits() {
            super(WeightInit.Kind.class);
        }
    }

    static final class Losses extends Candidates {
        Losses() {
            super(LossKind.class);
        }
    }

    static final class Rules extends Candidates {
        Rules() {
            super(UpdateRuleKind.class);
        }
    }

    static final class Preprocessings extends Candidates {
        Preprocessings() {
            super(Preprocessing.class);
        }
    }

    static final class Batchings extends Candidates {
        Batchings() {
            super(Batching.class);
        }
    }
}
