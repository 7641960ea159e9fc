package io.mcpagent.core.internal.security;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.mcpagent.api.security.SecretHolder;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;

/**
 * The platform's {@link SecretMasker}: replaces the values every registered {@link SecretHolder} holds now (asked on
 * each call, so a changed key is masked at once and no copy is kept here), longest first so a value holding another
 * is masked whole, then masks the shapes {@link Secrets#redact} knows. A value is masked as written and as it reads
 * inside JSON text, where a quote or backslash in it is escaped ({@code \"}, {@code \\}): once in a JSON string, twice
 * in a JSON string holding JSON (a tool's arguments in an event's JSON). One {@code String.replace} per form of a value:
 * there are a handful of values, not thousands.
 */
@Component(service = SecretMasker.class)
public final class HeldSecretsMasker implements SecretMasker {
    private static final Logger LOG = LoggerFactory.getLogger(HeldSecretsMasker.class);

    private final List<SecretHolder> holders = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHolder(SecretHolder holder) {
        holders.add(holder);
    }

    void removeHolder(SecretHolder holder) {
        holders.remove(holder);
    }

    @Override
    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String form : heldForms()) {
            masked = masked.replace(form, Secrets.MASK);
        }
        return Secrets.redact(masked);
    }

    /**
     * Whole lines, but none from the line where a held value starts that the text to come could complete or that the
     * cut would split. Moving the cut back to that line's start may split another value, so the cut is checked again
     * until it stays.
     */
    @Override
    public int showableLength(String unfinished) {
        List<String> forms = heldForms();
        int cut = SecretMasker.super.showableLength(unfinished);
        for (int checked = -1; cut != checked; ) {
            checked = cut;
            for (String form : forms) {
                cut = Math.min(cut, startAcross(unfinished, form, cut));
            }
            cut = unfinished.lastIndexOf('\n', cut - 1) + 1;
        }
        return cut;
    }

    /**
     * Where {@code form} starts in the text before {@code cut} and goes on past it, whole or as the start of it that
     * ends the text; {@code cut} when it does nowhere.
     */
    private static int startAcross(String text, String form, int cut) {
        for (int start = Math.max(0, cut - form.length() + 1); start < cut; start++) {
            if (text.regionMatches(start, form, 0, Math.min(form.length(), text.length() - start))) {
                return start;
            }
        }
        return cut;
    }

    /** Every form of every held value, longest first, so an escaped form is masked whole before the bare value. */
    private List<String> heldForms() {
        return holders.stream().flatMap(holder -> valuesOf(holder).stream()).filter(Objects::nonNull)
                .filter(value -> value.length() >= MIN_LITERAL_LENGTH).flatMap(HeldSecretsMasker::forms).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * The value as written, inside a JSON string, and inside a JSON string that holds JSON text; escaped as Jackson
     * writes JSON (the history, the event streams and the REST API write with it). The same string thrice for a
     * value with nothing to escape.
     */
    private static Stream<String> forms(String value) {
        String inJson = escapedForJson(value);
        return Stream.of(value, inJson, escapedForJson(inJson));
    }

    private static String escapedForJson(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    /** A holder that fails masks nothing this time; the others still do, and the text is still masked by pattern. */
    private static Collection<String> valuesOf(SecretHolder holder) {
        try {
            Collection<String> values = holder.secretValues();
            return values == null ? List.of() : values;
        } catch (RuntimeException e) {
            LOG.warn("secret holder {} could not say which secrets it holds; they are masked by pattern only this time",
                    holder.getClass().getName(), e);
            return List.of();
        }
    }
}
