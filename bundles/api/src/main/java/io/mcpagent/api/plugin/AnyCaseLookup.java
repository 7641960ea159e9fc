package io.mcpagent.api.plugin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a name typed by a person names, in any case, as plugin ids and pattern names are given in the shell and over
 * REST ({@code Scripted} for {@code scripted}): a name equal to it exactly first, else the one thing that names equal
 * to it ignoring case name. Names are unique only exactly, so when they fit several things only in case, none is
 * picked.
 */
public final class AnyCaseLookup {
    private AnyCaseLookup() {
    }

    /**
     * What {@code requested} names; empty when no name fits it in any case.
     *
     * @param what      what the names name, for the message ({@code provider}, {@code workflow pattern})
     * @param requested the name as given
     * @param byName    each name that may be given, to what it names; several names may name the same thing, as a
     *                  pattern's plugin id and its name do
     * @throws AmbiguousNameException when no name is equal to {@code requested} and names of several things are equal
     *                                to it ignoring case
     */
    public static Optional<String> find(String what, String requested, Map<String, String> byName) {
        String exact = byName.get(requested);
        if (exact != null) {
            return Optional.of(exact);
        }
        List<String> inAnyCase = byName.entrySet().stream().filter(named -> named.getKey().equalsIgnoreCase(requested))
                .map(Map.Entry::getValue).distinct().sorted().toList();
        if (inAnyCase.size() > 1) {
            throw new AmbiguousNameException(what, requested, inAnyCase);
        }
        return inAnyCase.stream().findFirst();
    }
}
