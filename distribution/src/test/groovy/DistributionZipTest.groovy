// Tests DistributionZip.groovy (what the zip of the distribution holds), run by the test phase.
import java.nio.file.Files
import org.apache.tools.zip.ZipFile

if ((session.userProperties['skipTests'] ?: project.properties['skipTests']) in ['', 'true']) return
def DistributionZip = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(project.basedir, 'src/build/DistributionZip.groovy'))
def dir = Files.createTempDirectory('distribution-zip-test').toFile()
try {
    def dist = new File(dir, 'mcp-agent')
    def write = { String path, String text -> new File(dist, path).with { parentFile.mkdirs(); it.text = text } }
    ['README', 'bin/mcp-agent', 'lib/felix.jar', 'system/api.jar', 'deploy/README', 'data/README',
     'etc/framework.properties', 'etc/org.apache.felix.fileinstall~deploy.cfg.json'].each { write(it, 'build') }
    // what a user of the unpacked distribution adds, and a file of the build the user edited (the build keeps it)
    ['etc/io.mcpagent.provider.openai.cfg.json', 'deploy/plugin.jar', 'data/log/mcp-agent.log',
     'etc/org.apache.felix.http.cfg.json'].each { write(it, 'user') }
    // the build's own copy of etc/ (EtcFolder)
    def etcFiles = new File(dir, 'etc-build')
    ['framework.properties', 'org.apache.felix.fileinstall~deploy.cfg.json', 'org.apache.felix.http.cfg.json'].each {
        new File(etcFiles, it).with { parentFile.mkdirs(); text = 'build' }
    }
    def entryTime = java.time.Instant.parse('2026-11-24T00:00:00Z').toEpochMilli()
    def zip = new File(dir, 'mcp-agent-1.zip')
    DistributionZip.write(dist, etcFiles, zip, 'mcp-agent-1', entryTime)
    new ZipFile(zip).withCloseable { packed ->
        def files = packed.entries.toList().findAll { !it.directory }
        assert (files*.name as Set) == ['README', 'bin/mcp-agent', 'lib/felix.jar', 'system/api.jar', 'deploy/README',
                'data/README', 'etc/framework.properties', 'etc/org.apache.felix.fileinstall~deploy.cfg.json',
                'etc/org.apache.felix.http.cfg.json'].collect { 'mcp-agent-1/' + it } as Set: 'only the build\'s files, none of the user\'s'
        assert packed.getInputStream(packed.getEntry('mcp-agent-1/etc/org.apache.felix.http.cfg.json')).text == 'build':
                'the build\'s version of a file the user edited'
        assert (packed.getEntry('mcp-agent-1/bin/mcp-agent').unixMode & 0777) == 0755
        // a zip entry's time has no zone: it reads the build's time in UTC, as the reactor's jars do
        def utc = java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(entryTime), java.time.ZoneOffset.UTC)
        assert packed.entries.toList().every {
            java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(it.time), java.time.ZoneId.systemDefault()) == utc
        }: 'every entry carries the build\'s time, in UTC'
    }
    // builds in other time zones give the same zip
    def defaultZone = TimeZone.default
    try {
        ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'].each { zone ->
            TimeZone.default = TimeZone.getTimeZone(zone)
            def elsewhere = new File(dir, "mcp-agent-1-${zone.replace('/', '-')}.zip")
            DistributionZip.write(dist, etcFiles, elsewhere, 'mcp-agent-1', entryTime)
            assert elsewhere.bytes == zip.bytes: "a build in the time zone ${zone} gives the same zip"
        }
    } finally {
        TimeZone.default = defaultZone
    }
    // a second build of the same commit writes the same files at another time: the same zip
    dir.eachFileRecurse { it.lastModified = it.lastModified() - 3_600_000 }
    def again = new File(dir, 'mcp-agent-1-again.zip')
    DistributionZip.write(dist, etcFiles, again, 'mcp-agent-1', entryTime)
    assert again.bytes == zip.bytes: 'a build of the same files at another time gives the same zip'
    log.info('DistributionZip: tests passed')
} finally {
    dir.deleteDir()
}
