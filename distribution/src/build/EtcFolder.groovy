import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.security.MessageDigest

/**
 * Writes the build's files into the etc/ of an assembled distribution that users also configure in (the README has
 * them add their own files there, and edit the build's), as Debian treats conffiles, and records what it wrote (name
 * and SHA-256, in a file outside the distribution):
 * - every file of the build is written to the build's own copy of etc/ (`built`, emptied first), which the zip and the
 *   integration tests take, so that neither carries a user's edit;
 * - a file the build writes is written again to etc/, unless it was edited since the last build wrote it: that is kept,
 *   and the build says so, with a warning naming both files when the build's version changed. Of a file with a
 *   generated part (`generatedFrom`: its name and the start of the line from which the build generates the rest),
 *   only the edit above that line is kept so; the generated part must follow the build and is written afresh, an edit
 *   there (or of a file without that line) first copied to `replaced`;
 * - a file an earlier build wrote and this one no longer writes (a feature or configuration dropped) is deleted,
 *   unless it was edited since, which is kept and named;
 * - any other file is the user's: kept and named.
 * Returns the messages for the build log as [level, text] pairs.
 */
class EtcFolder {
    static List<List<String>> sync(File etc, Map<String, byte[]> files, Map<String, String> generatedFrom, File record,
            File built, File replaced) {
        def messages = []
        def previous = new Properties()
        if (record.isFile()) record.withInputStream { previous.load(it) }
        etc.mkdirs()
        // the last build's version of a file with a generated part tells which of its parts the user edited
        def lastBuilt = generatedFrom.keySet().collectEntries { name ->
            def copy = new File(built, name)
            [(name): copy.isFile() && sha256(copy.bytes) == previous.getProperty(name) ? copy.bytes : null]
        }
        built.deleteDir()
        built.mkdirs()
        files.each { name, content ->
            new File(built, name).bytes = content
            def target = new File(etc, name)
            def edited = target.isFile() && !Arrays.equals(target.bytes, content)
                    && sha256(target.bytes) != previous.getProperty(name)
            if (!edited) {
                target.bytes = content
            } else if (generatedFrom.containsKey(name)) {
                target.bytes = keepEditAbove(generatedFrom[name], target, content, lastBuilt[name], built, replaced,
                        messages)
            } else if (previous.getProperty(name) == sha256(content)) {
                messages << ['info', "etc/${name}: edited, kept; the build's version, the same as the last build's, is in ${built}/${name}"]
            } else {
                messages << ['warn', "etc/${name}: edited since the last build wrote it, kept; this build's version differs, it is in ${built}/${name}: compare them, and copy it over etc/${name} to take it"]
            }
        }
        previous.stringPropertyNames().findAll { !files.containsKey(it) }.sort().each { name ->
            def stale = new File(etc, name)
            if (!stale.isFile()) return
            if (sha256(stale.bytes) == previous.getProperty(name)) {
                stale.delete()
                messages << ['info', "etc/${name}: removed, an earlier build wrote it and this one does not"]
            } else {
                messages << ['warn', "etc/${name}: an earlier build wrote it and this one does not, but it was edited since: kept; delete it if it is no longer wanted"]
            }
        }
        def others = (etc.list() as List).findAll { !files.containsKey(it) && !previous.containsKey(it) }.sort()
        if (others) messages << ['info', "etc/ keeps files this build does not write: ${others.join(', ')}"]
        def written = new Properties()
        files.each { name, content -> written.setProperty(name, sha256(content)) }
        record.parentFile.mkdirs()
        record.bytes = withoutDate(written, 'The files of etc/ the build wrote, with their SHA-256')
        messages
    }

    /**
     * The content to write for a file of which the build generates the lines from the one starting with {@code marker}
     * on: the user's edit above that line kept (named as other kept edits are), the generated part the build's. An edit
     * in the generated part, or a file without that line, is copied to {@code replaced} first. {@code last} is the last
     * build's version, null if unknown: then every difference from this build's is taken for the user's.
     */
    private static byte[] keepEditAbove(String marker, File target, byte[] content, byte[] last, File built,
            File replaced, List messages) {
        def name = target.name
        def (head, tail) = split(target.bytes, marker)
        def (newHead, newTail) = split(content, marker)
        def (lastHead, lastTail) = last == null ? [null, null] : split(last, marker)
        if (tail == null || (tail != newTail && tail != lastTail)) {
            replaced.mkdirs()
            Files.copy(target.toPath(), new File(replaced, name).toPath(), StandardCopyOption.REPLACE_EXISTING)
            def what = tail == null ? "has no line '${marker}', from which the build writes it, so it is replaced whole"
                    : "had changes from the line '${marker}' on, which the build writes: that part is replaced"
            messages << ['warn', "etc/${name} ${what}; the file as it was is in ${replaced}/${name}"]
            if (tail == null) return content
        }
        if (head == newHead || head == lastHead) return content
        if (lastHead == newHead) {
            messages << ['info', "etc/${name}: edited above the line '${marker}', kept; the build's version, the same as the last build's above that line, is in ${built}/${name}"]
        } else {
            messages << ['warn', "etc/${name}: edited above the line '${marker}' since the last build wrote it, kept; this build's version differs there, it is in ${built}/${name}: compare them, and copy its lines over yours to take them"]
        }
        // the framework reads the file as java.util.Properties: of a key set twice, the last line counts
        def overridden = properties(head).stringPropertyNames().intersect(properties(newTail).stringPropertyNames())
        if (overridden) {
            messages << ['warn', "etc/${name}: the build sets again below the line '${marker}', and so overrides, keys set above it: ${overridden.sort().join(', ')}"]
        }
        (head + newTail).getBytes('ISO-8859-1')
    }

    /** The text before the line starting with {@code marker} and the text from it on (null without that line), as
     *  ISO 8859-1, which gives back any bytes unchanged. */
    private static List<String> split(byte[] bytes, String marker) {
        def text = new String(bytes, 'ISO-8859-1')
        if (text.startsWith(marker)) return ['', text]
        def at = text.indexOf('\n' + marker) + 1
        at > 0 ? [text.substring(0, at), text.substring(at)] : [text, null]
    }

    private static Properties properties(String text) {
        def properties = new Properties()
        properties.load(new ByteArrayInputStream(text.getBytes('ISO-8859-1')))
        properties
    }

    /** The properties as Properties.store writes them (sorted, escaped), but without its date line, which made the
     *  record change with every build. */
    static byte[] withoutDate(Properties properties, String comment) {
        def bytes = new ByteArrayOutputStream()
        properties.store(bytes, comment)   // ISO 8859-1, other characters escaped
        def lines = bytes.toString('ISO-8859-1').readLines()
        // store writes the comment, then '#' and the date, then the entries
        ((lines.take(1) + lines.drop(2)).join('\n') + '\n').getBytes('ISO-8859-1')
    }

    static String sha256(byte[] content) {
        MessageDigest.getInstance('SHA-256').digest(content).encodeHex().toString()
    }
}
