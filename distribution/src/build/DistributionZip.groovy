import groovy.ant.AntBuilder

/**
 * Packs the assembled distribution into the zip, with only what the build put there: etc/ as the build wrote it
 * (its own copy {@code builtEtc}, see EtcFolder.groovy), of deploy/ and data/ their README, and its own README. The unpacked distribution is
 * also where users configure and deploy, so its etc/ may hold their own files (a provider's key among them) and their
 * edits of the build's files (kept by the next build), and its deploy/ their jars, none of which belongs in a zip
 * handed on.
 * Every entry carries {@code entryTime} (the build's project.build.outputTimestamp), not the time its file was written,
 * so that two builds of the same commit give the same zip. A zip entry's time is a date and time without a zone, which
 * Ant writes in the build's time zone: the entries read entryTime in UTC, as in the reactor's jars, wherever the build
 * runs. Before, a build in Tokyo wrote 09:00 where one in UTC wrote 00:00, and the zips differed.
 */
class DistributionZip {
    static void write(File dist, File builtEtc, File zip, String baseDirectory, long entryTime) {
        zip.delete()
        new AntBuilder().zip(destfile: zip, modificationtime: inBuildTimeZone(entryTime) as String) {
            zipfileset(dir: dist, prefix: baseDirectory, includes: 'README, lib/**, system/**')
            zipfileset(dir: new File(dist, 'bin'), prefix: "${baseDirectory}/bin", filemode: '755')
            ['deploy', 'data'].each { folder ->
                zipfileset(dir: new File(dist, folder), prefix: "${baseDirectory}/${folder}", includes: 'README*')
            }
            zipfileset(dir: builtEtc, prefix: "${baseDirectory}/etc")
        }
    }

    /** The instant whose date and time in this JVM's time zone are those of {@code utcTime} in UTC. */
    static long inBuildTimeZone(long utcTime) {
        java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(utcTime), java.time.ZoneOffset.UTC)
                .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli()
    }
}
