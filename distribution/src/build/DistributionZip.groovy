import groovy.ant.AntBuilder

/**
 * Packs the assembled distribution into the zip, with only what the build put there: of etc/ the files the build
 * wrote (named by its record, see EtcFolder.groovy), of deploy/ and data/ their README. The unpacked distribution is
 * also where users configure and deploy, so its etc/ may hold their own files (a provider's key among them) and its
 * deploy/ their jars, none of which belongs in a zip handed on.
 * Every entry carries {@code entryTime} (the build's project.build.outputTimestamp), not the time its file was written,
 * so that two builds of the same commit give the same zip.
 */
class DistributionZip {
    static void write(File dist, Collection<String> etcFiles, File zip, String baseDirectory, long entryTime) {
        zip.delete()
        new AntBuilder().zip(destfile: zip, modificationtime: entryTime as String) {
            zipfileset(dir: dist, prefix: baseDirectory, includes: 'lib/**, system/**')
            zipfileset(dir: new File(dist, 'bin'), prefix: "${baseDirectory}/bin", filemode: '755')
            ['deploy', 'data'].each { folder ->
                zipfileset(dir: new File(dist, folder), prefix: "${baseDirectory}/${folder}", includes: 'README*')
            }
            if (etcFiles) {
                zipfileset(dir: new File(dist, 'etc'), prefix: "${baseDirectory}/etc") {
                    etcFiles.each { include(name: it) }
                }
            }
        }
    }
}
