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
 *   and the build says so, with a warning naming both files when the build's version changed. A file whose content
 *   must follow the build (`alwaysReplaced`) is written all the same, the edited one first copied to `replaced`;
 * - a file an earlier build wrote and this one no longer writes (a feature or configuration dropped) is deleted,
 *   unless it was edited since, which is kept and named;
 * - any other file is the user's: kept and named.
 * Returns the messages for the build log as [level, text] pairs.
 */
class EtcFolder {
    static List<List<String>> sync(File etc, Map<String, byte[]> files, Set<String> alwaysReplaced, File record,
            File built, File replaced) {
        def messages = []
        def previous = new Properties()
        if (record.isFile()) record.withInputStream { previous.load(it) }
        etc.mkdirs()
        built.deleteDir()
        built.mkdirs()
        files.each { name, content ->
            new File(built, name).bytes = content
            def target = new File(etc, name)
            def edited = target.isFile() && !Arrays.equals(target.bytes, content)
                    && sha256(target.bytes) != previous.getProperty(name)
            if (!edited) {
                target.bytes = content
            } else if (name in alwaysReplaced) {
                replaced.mkdirs()
                Files.copy(target.toPath(), new File(replaced, name).toPath(), StandardCopyOption.REPLACE_EXISTING)
                target.bytes = content
                messages << ['warn', "etc/${name} had changes this build replaces (the build must write this file); the file as it was is in ${replaced}/${name}"]
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
