import java.nio.file.Files
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
 *   there (or of a file without that line) first copied beside it, to etc/<name>.replaced;
 * - a file the build writes that was deleted since the last build wrote it stays deleted, and the build says how to
 *   have it back, unless a start needs it (`neededToStart`: its name and why): that is written again, with a warning;
 * - a file an earlier build wrote and this one no longer writes (a feature or configuration dropped) is deleted,
 *   unless it was edited since, which is kept and named;
 * - any other file is the user's: kept and named;
 * - copies that builds before the copies went beside their file made in `formerCopies` (target/etc-replaced/, out of
 *   the user's sight) are moved beside their file too, with a warning, and the folder removed.
 * Returns the messages for the build log as [level, text] pairs; 'error' ones, for an etc/ that cannot take the build's
 * files (a folder where one goes), come alone, and then nothing was written: the build fails with them.
 */
class EtcFolder {
    static List<List<String>> sync(File etc, Map<String, byte[]> files, Map<String, String> generatedFrom,
            Map<String, String> neededToStart, File record, File built, File formerCopies) {
        def unusable = unusable(etc, files.keySet())
        if (unusable) return unusable.collect { ['error', it] }
        def messages = []
        def previous = new Properties()
        if (record.isFile()) record.withInputStream { previous.load(it) }
        // without etc/ (target/mcp-agent deleted) the distribution is new: none of its files was deleted by a user
        def newDistribution = !etc.isDirectory()
        etc.mkdirs()
        built.deleteDir()
        built.mkdirs()
        def written = new Properties()
        files.each { name, content ->
            new File(built, name).bytes = content
            written.setProperty(name, sha256(content))
            def marker = generatedFrom[name]
            if (marker != null) {
                // the record holds each part's hash too: which part a user edited is told from them
                def (head, tail) = split(content, marker)
                written.setProperty("${name}/above".toString(), sha256(head))
                if (tail != null) written.setProperty("${name}/generated".toString(), sha256(tail))
            }
            def target = new File(etc, name)
            if (!target.exists() && previous.getProperty(name) != null && !newDistribution) {
                if (neededToStart.containsKey(name)) {
                    target.bytes = content
                    messages << ['warn', "etc/${name}: deleted since the last build wrote it, written again: ${neededToStart[name]}"]
                } else {
                    messages << ['info', "etc/${name}: deleted since a build wrote it, stays deleted; this build's version is in ${built}/${name}: copy it to etc/ to have it back"]
                }
                return
            }
            def edited = target.isFile() && !Arrays.equals(target.bytes, content)
                    && sha256(target.bytes) != previous.getProperty(name)
            if (!edited) {
                target.bytes = content
            } else if (marker != null) {
                target.bytes = keepEditAbove(marker, target, content, previous, built, messages)
            } else if (previous.getProperty(name) == sha256(content)) {
                messages << ['info', "etc/${name}: edited, kept; the build's version, the same as the last build's, is in ${built}/${name}"]
            } else {
                messages << ['warn', "etc/${name}: edited since the last build wrote it, kept; this build's version differs, it is in ${built}/${name}: compare them, and copy it over etc/${name} to take it"]
            }
        }
        // names with a slash are the parts of a file, not files
        previous.stringPropertyNames().findAll { !it.contains('/') && !files.containsKey(it) }.sort().each { name ->
            def stale = new File(etc, name)
            if (!stale.isFile()) return
            if (sha256(stale.bytes) == previous.getProperty(name)) {
                stale.delete()
                messages << ['info', "etc/${name}: removed, an earlier build wrote it and this one does not"]
            } else {
                messages << ['warn', "etc/${name}: an earlier build wrote it and this one does not, but it was edited since: kept; delete it if it is no longer wanted"]
            }
        }
        moveFormerCopies(formerCopies, etc, messages)
        def others = (etc.list() as List).findAll { !files.containsKey(it) && !previous.containsKey(it) }.sort()
        if (others) messages << ['info', "etc/ keeps files this build does not write: ${others.join(', ')}"]
        record.parentFile.mkdirs()
        record.bytes = withoutDate(written, "The build's files of etc/, with their SHA-256; <name>/above and <name>/generated: the parts of a file with a generated part")
        messages
    }

    /**
     * The content to write for a file of which the build generates the lines from the one starting with {@code marker}
     * on: the user's edit above that line kept (named as other kept edits are), the generated part the build's. An edit
     * in the generated part, or a file without that line, is copied beside the file first, to <name>.replaced.
     * {@code previous} is the last build's record: which part the user edited is told by the hashes of its parts; a
     * record without them (of a build before they were recorded) counts every difference from this build's as the
     * user's.
     */
    private static byte[] keepEditAbove(String marker, File target, byte[] content, Properties previous, File built,
            List messages) {
        def name = target.name
        def (head, tail) = split(target.bytes, marker)
        def (newHead, newTail) = split(content, marker)
        def lastHead = previous.getProperty("${name}/above".toString())
        def lastTail = previous.getProperty("${name}/generated".toString())
        if (tail == null || (tail != newTail && sha256(tail) != lastTail)) {
            def copy = unusedName(target.parentFile, "${name}.replaced")
            Files.copy(target.toPath(), copy.toPath())
            def what = tail == null ? "has no line '${marker}', from which the build writes it, so it is replaced whole"
                    : "had changes from the line '${marker}' on, which the build writes: that part is replaced"
            messages << ['warn', "etc/${name} ${what}; the file as it was is in etc/${copy.name}, which later builds keep: delete it once you took what you need"]
            if (tail == null) return content
        }
        if (head == newHead || sha256(head) == lastHead) return content
        if (sha256(newHead) == lastHead) {
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

    /**
     * What keeps the build from writing its files to etc/ (each would fail with a bare "Is a directory"), checked before
     * anything is written, so that a failing build leaves etc/ and the record as they were.
     */
    private static List<String> unusable(File etc, Collection<String> names) {
        if (etc.exists() && !etc.isDirectory()) {
            return ["${etc} is a file, where the build writes the distribution's configuration folder: move it away, or delete it, and build again".toString()]
        }
        names.collect { new File(etc, it) }.findAll { it.exists() && !it.isFile() }.collect { target ->
            def what = target.isDirectory() ? 'a folder' : 'no regular file'
            "${target} is ${what}, where the build writes its file ${target.name}: nothing in etc/ was changed; move it away, or delete it, and build again".toString()
        }
    }

    /**
     * Moves each file of {@code formerCopies}, the copy an earlier build made of etc/<name> before replacing it, to
     * etc/<name>.replaced (or .replaced.2, ...: a copy there is the user's), where later builds name it until the user
     * deletes it; then removes the folder, so that this is said once.
     */
    private static void moveFormerCopies(File formerCopies, File etc, List messages) {
        if (!formerCopies.isDirectory()) return
        formerCopies.listFiles().findAll { it.isFile() }.sort { it.name }.each { copy ->
            def moved = unusedName(etc, "${copy.name}.replaced")
            Files.move(copy.toPath(), moved.toPath())
            messages << ['warn', "etc/${moved.name}: moved from ${copy}, where an earlier build copied etc/${copy.name} before replacing it; builds keep such copies beside their file now: delete it once you took what you need"]
        }
        if (!formerCopies.delete()) {
            messages << ['warn', "${formerCopies}: holds more than the copies moved to etc/, so it is kept: look at what is left, then delete it"]
        }
    }

    /** {@code name} in {@code folder}, or when a file has it, the first of name.2, name.3, ... that none has: a copy
     *  kept there from an earlier build is the user's. */
    private static File unusedName(File folder, String name) {
        def file = new File(folder, name)
        for (int i = 2; file.exists(); i++) file = new File(folder, "${name}.${i}")
        file
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

    static String sha256(String text) {
        sha256(text.getBytes('ISO-8859-1'))
    }

    static String sha256(byte[] content) {
        MessageDigest.getInstance('SHA-256').digest(content).encodeHex().toString()
    }
}
