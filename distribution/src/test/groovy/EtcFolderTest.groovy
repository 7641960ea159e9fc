// Tests EtcFolder.groovy (how the build writes etc/ of the assembled distribution), run by the test phase.
import java.nio.file.Files

if ((session.userProperties['skipTests'] ?: project.properties['skipTests']) in ['', 'true']) return
def EtcFolder = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(project.basedir, 'src/build/EtcFolder.groovy'))
def dir = Files.createTempDirectory('etc-folder-test').toFile()
try {
    def etc = new File(dir, 'etc'), record = new File(dir, 'record.properties'), backups = new File(dir, 'replaced')
    def bytes = { String text -> text.getBytes('UTF-8') }

    // a first build, over a user's file
    new File(etc, 'mine.cfg.json').with { parentFile.mkdirs(); text = 'user' }
    def messages = EtcFolder.sync(etc, [a: bytes('a1'), 'dropped.cfg.json': bytes('d'), 'edited.cfg.json': bytes('e')],
            record, backups)
    assert (etc.list() as Set) == ['a', 'dropped.cfg.json', 'edited.cfg.json', 'mine.cfg.json'] as Set
    assert messages == [['info', 'etc/ keeps files this build does not write: mine.cfg.json']]

    // the user edits one the build writes and one it will no longer write; the next build drops two of them
    new File(etc, 'a').text = 'a edited'
    new File(etc, 'edited.cfg.json').text = 'e edited'
    messages = EtcFolder.sync(etc, [a: bytes('a2')], record, backups)
    assert new File(etc, 'a').text == 'a2'
    assert new File(backups, 'a').text == 'a edited'
    assert !new File(etc, 'dropped.cfg.json').exists(): 'a file only an earlier build wrote is stale'
    assert new File(etc, 'edited.cfg.json').text == 'e edited'
    assert new File(etc, 'mine.cfg.json').text == 'user'
    assert messages*.get(0) == ['warn', 'info', 'warn', 'info']
    assert messages[1][1] == 'etc/dropped.cfg.json: removed, an earlier build wrote it and this one does not'
    assert messages[2][1].startsWith('etc/edited.cfg.json: an earlier build wrote it and this one does not, but it was edited since: kept')
    assert messages[3][1] == 'etc/ keeps files this build does not write: mine.cfg.json'

    // an unchanged build changes nothing and backs nothing up
    new File(backups, 'a').delete()
    messages = EtcFolder.sync(etc, [a: bytes('a2')], record, backups)
    assert !new File(backups, 'a').exists()
    assert messages == [['info', 'etc/ keeps files this build does not write: edited.cfg.json, mine.cfg.json']]
    def recorded = new Properties(); record.withInputStream { recorded.load(it) }
    assert recorded.stringPropertyNames() == ['a'] as Set
    assert record.readLines().findAll { it.startsWith('#') } == ['#The files of etc/ the build wrote, with their SHA-256']:
            'no date: an unchanged build writes the same record'
    log.info('EtcFolder: tests passed')
} finally {
    dir.deleteDir()
}
