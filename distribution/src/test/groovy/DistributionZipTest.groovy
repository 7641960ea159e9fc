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
    ['bin/mcp-agent', 'lib/felix.jar', 'system/api.jar', 'deploy/README', 'data/README', 'etc/framework.properties',
     'etc/org.apache.felix.fileinstall~deploy.cfg.json'].each { write(it, 'build') }
    // what a user of the unpacked distribution adds
    ['etc/io.mcpagent.provider.openai.cfg.json', 'deploy/plugin.jar', 'data/log/mcp-agent.log'].each { write(it, 'user') }

    def zip = new File(dir, 'mcp-agent-1.zip')
    DistributionZip.write(dist, ['framework.properties', 'org.apache.felix.fileinstall~deploy.cfg.json'], zip, 'mcp-agent-1')
    new ZipFile(zip).withCloseable { packed ->
        def files = packed.entries.toList().findAll { !it.directory }
        assert (files*.name as Set) == ['bin/mcp-agent', 'lib/felix.jar', 'system/api.jar', 'deploy/README',
                'data/README', 'etc/framework.properties', 'etc/org.apache.felix.fileinstall~deploy.cfg.json']
                .collect { 'mcp-agent-1/' + it } as Set: 'only the build\'s files, none of the user\'s'
        assert (packed.getEntry('mcp-agent-1/bin/mcp-agent').unixMode & 0777) == 0755
    }
    log.info('DistributionZip: tests passed')
} finally {
    dir.deleteDir()
}
