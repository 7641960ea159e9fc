import java.nio.file.Files
import java.security.MessageDigest

/**
 * Writes the build's files into the etc/ of an assembled distribution that users also configure in (the README has
 * them add their own files there), and records what it wrote (name and SHA-256, in a file outside the distribution):
 * - a file the build writes is written again; one that differs from what the last build wrote (edited there) is
 *   first copied to the backup folder, and the build says so;
 * - a file an earlier build wrote and this one no longer writes (a feature or configuration dropped) is deleted,
 *   unless it was edited since, which is kept and named;
 * - any other file is the user's: kept and named.
 * Returns the messages for the build log as [level, text] pairs.
 */
class EtcFolder {
    static List<List<String>> sync(File etc, Map<String, byte[]> files, File record, File backups) {
        def messages = []
        def previous = new Properties()
        if (record.isFile()) record.withInputStream { previous.load(it) }
        etc.mkdirs()
        files.each { name, content ->
            def target = new File(etc, name)
            if (target.isFile() && !Arrays.equals(target.bytes, content)
                    && sha256(target.bytes) != previous.getProperty(name)) {
                backups.mkdirs()
                Files.copy(target.toPath(), new File(backups, name).toPath(),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING)
                messages << ['warn', "etc/${name} had changes this build replaces; the file as it was is in ${backups}/${name}"]
            }
            target.bytes = content
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
