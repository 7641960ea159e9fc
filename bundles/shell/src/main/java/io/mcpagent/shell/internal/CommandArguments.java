package io.mcpagent.shell.internal;

import java.util.Arrays;
import java.util.List;
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
    private CommandArguments() {
    }

    /** The one argument of a command: none, a blank one or several words are an error saying how to call it. */
    static String argument(String[] given, String what, String usage) {
        if (given.length == 1 && !given[0].isBlank()) {
            return given[0].strip();
        }
        throw new IllegalArgumentException(command(usage) + " needs " + what + ": " + usage + splitWords(given));
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

    /**
     * A whole number from {@code min} to {@code max}; otherwise an error naming it as the user typed it, caused by a
     * {@link NumberFormatException} when it is no whole number at all.
     */
    static long wholeNumber(String name, String value, long min, long max) {
        String range = max == Long.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
        String message = name + " must be a whole number " + range + ", was '" + value + "'";
        long number;
        try {
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
