package io.mcpagent.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks of what a Gogo command was given. Gogo answers a call that fits no signature with a bare
 * {@code Cannot coerce ...}, and a number it cannot convert with {@code argument type mismatch}. So the commands
 * take their arguments as {@code String...} and their numbers as text, and check them here: missing arguments,
 * more words than the command takes (a text not in quotes, which Gogo splits), or a number that is none or out of
 * its range get a message naming the argument or option and how to call the command.
 * <p>
 * {@code usage} is how the command is called, its name first ({@code "plugin:info <id> (plugin:list lists them)"}).
 */
final class CommandArguments {
    /**
     * Starts an option's line in the {@code @Descriptor} of the parameter that takes a command's words, so that
     * {@code help <command>} lists each option the command reads itself on a line of its own, below the parameter.
     */
    static final String OPTION = "\n         ";
    private static final String HELP = "--help";

    private CommandArguments() {
    }

    /** The one argument of a command: none, a blank one or several words are an error saying how to call it. */
    static String argument(String[] given, String what, String usage) {
        refuseHelpOption(given, usage);
        if (given.length == 1 && !given[0].isBlank()) {
            return given[0].strip();
        }
        throw new IllegalArgumentException(command(usage) + " needs " + what + ": " + usage + splitWords(given));
    }

    /** The {@code @Descriptor} of the words a command that takes none is given anyway. */
    static final String NO_ARGUMENTS = "none: the command takes no arguments";

    /**
     * Nothing: the command takes no arguments, and any is an error naming the command (Gogo would answer
     * {@code Cannot coerce <command>(Token) to any of [(CommandSession)]}). The words are not repeated: one may be a
     * key typed in the wrong place.
     */
    static void noArguments(String[] given, String command) {
        refuseHelpOption(given, command);
        if (given.length > 0) {
            throw new IllegalArgumentException(command + " takes no arguments: " + command + "; it got "
                    + given.length + (given.length == 1 ? " word" : " words"));
        }
    }

    /** The argument a command may be given, or empty; several words are an error saying how to call it. */
    static Optional<String> optionalArgument(String[] given, String what, String usage) {
        return arguments(given, 0, usage, what).stream().findFirst();
    }

    /**
     * The arguments of a command that takes the ones {@code names} describes, the first {@code required} of them
     * needed: fewer are an error naming the missing ones, more one naming them all.
     */
    static List<String> arguments(String[] given, int required, String usage, String... names) {
        refuseHelpOption(given, usage);
        if (given.length < required) {
            throw new IllegalArgumentException(command(usage) + " needs "
                    + and(Arrays.copyOfRange(names, given.length, required)) + ": " + usage);
        }
        if (given.length > names.length) {
            String takes = required == names.length ? " needs " : " takes at most ";
            throw new IllegalArgumentException(command(usage) + takes + and(names) + ": " + usage + splitWords(given));
        }
        return List.of(given);
    }

    /** The options a command was given (each with its value, a flag with none) and its other words, in order. */
    record Words(Map<String, String> options, String[] arguments) {
        String option(String name, String absent) {
            return options.getOrDefault(name, absent);
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }
    }

    /**
     * The words of a command that reads its own options, since Gogo's ({@code @Parameter}) answer an option without
     * its value with {@code Cannot coerce ...}, take the next option for its value and an unknown option for an
     * argument. An option is a word of {@code --} and letters; {@code flags} stand alone, {@code valued} take the next
     * word, which must be no option and not empty or blank (taken as not given, {@code --pattern ""} would quietly
     * let the platform choose). An unknown option is an error listing the known ones, an option given twice one
     * naming it. Such a command lists its
     * options in the {@code @Descriptor} of its words, each starting with {@link #OPTION}.
     */
    static Words words(String[] given, String usage, List<String> flags, List<String> valued) {
        refuseHelpOption(given, usage);
        Map<String, String> options = new HashMap<>();
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < given.length; i++) {
            String word = given[i];
            if (!isOption(word)) {
                arguments.add(word);
            } else if (options.containsKey(word)) {
                // as the REST API refuses a repeated member: which one was meant is not for us to guess
                throw new IllegalArgumentException(word + " is given twice; give it once: " + usage);
            } else if (flags.contains(word)) {
                options.put(word, "");
            } else if (!valued.contains(word)) {
                List<String> known = new ArrayList<>(valued);
                known.addAll(flags);
                throw new IllegalArgumentException(command(usage) + ": unknown option '" + word + "'; the options: "
                        + String.join(", ", known));
            } else if (i + 1 == given.length || isOption(given[i + 1])) {
                throw new IllegalArgumentException(word + " needs a value: " + usage);
            } else if (given[i + 1].isBlank()) {
                throw new IllegalArgumentException(emptyValue(word, given[i + 1]) + ": " + usage);
            } else {
                options.put(word, given[++i]);
            }
        }
        return new Words(options, arguments.toArray(String[]::new));
    }

    /**
     * {@code --help}, which a user tries before {@code help <command>}, answered with the usage: taken as an argument
     * it was looked up as an id ("no execution '--help'"), or was an unknown option.
     */
    private static void refuseHelpOption(String[] given, String usage) {
        if (Arrays.asList(given).contains(HELP)) {
            String command = usage.indexOf(' ') < 0 ? usage : command(usage);
            throw new IllegalArgumentException("usage: " + usage + "; help " + command + " describes its arguments");
        }
    }

    /** The refusal of an option given an empty or blank value. */
    static String emptyValue(String option, String value) {
        return option + " was given " + (value.isEmpty() ? "an empty" : "a blank") + " value; give one, or leave the"
                + " option out";
    }

    private static boolean isOption(String word) {
        return word.matches("--[a-z][a-z-]*");
    }

    /**
     * A whole number from {@code min} to {@code max}; otherwise an error naming it as the user typed it, caused by a
     * {@link NumberFormatException} when it is no whole number at all.
     */
    static long wholeNumber(String name, String value, long min, long max) {
        String message = name + " must be a whole number from " + min + " to " + max + ", was '" + value + "'";
        long number;
        try {
            // digits only, as bin/mcp-agent run checks them: Long.parseLong would also take "+5"
            if (!value.strip().matches("-?[0-9]+")) {
                throw new NumberFormatException("not digits: " + value);
            }
            number = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(message, e);
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException(message);
        }
        return number;
    }

    private static String command(String usage) {
        return usage.substring(0, usage.indexOf(' '));
    }

    private static String splitWords(String[] given) {
        return given.length > 1 ? "; it got " + given.length + " separate words" : "";
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    private static String and(String... names) {
        int last = names.length - 1;
        return last == 0 ? names[0] : String.join(", ", Arrays.copyOf(names, last)) + " and " + names[last];
    }
}
