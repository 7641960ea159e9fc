// Tests EtcFolder.groovy (how the build writes etc/ of the assembled distribution), run by the test phase.
import java.nio.file.Files

if ((session.userProperties['skipTests'] ?: project.properties['skipTests']) in ['', 'true']) return
def EtcFolder = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(project.basedir, 'src/build/EtcFolder.groovy'))
def dir = Files.createTempDirectory('etc-folder-test').toFile()
try {
    def etc = new File(dir, 'etc'), record = new File(dir, 'record.properties')
    def built = new File(dir, 'etc-build'), replaced = new File(dir, 'replaced')
    def bytes = { String text -> text.getBytes('UTF-8') }
    def generated = ['generated'] as Set
    def sync = { Map<String, byte[]> files -> EtcFolder.sync(etc, files, generated, record, built, replaced) }

    // a first build, over a user's file
    new File(etc, 'mine.cfg.json').with { parentFile.mkdirs(); text = 'user' }
    def messages = sync([a: bytes('a1'), b: bytes('b1'), generated: bytes('g1'), 'dropped.cfg.json': bytes('d'),
                         'edited.cfg.json': bytes('e')])
    assert (etc.list() as Set) == ['a', 'b', 'generated', 'dropped.cfg.json', 'edited.cfg.json', 'mine.cfg.json'] as Set
    assert (built.list() as Set) == ['a', 'b', 'generated', 'dropped.cfg.json', 'edited.cfg.json'] as Set
    assert messages == [['info', 'etc/ keeps files this build does not write: mine.cfg.json']]

    // the user edits a file the build writes, one the build must write and one it will no longer write; the next
    // build writes new versions of a, b and generated, and drops two files
    new File(etc, 'a').text = 'a edited'
    new File(etc, 'generated').text = 'g edited'
    new File(etc, 'edited.cfg.json').text = 'e edited'
    messages = sync([a: bytes('a2'), b: bytes('b2'), generated: bytes('g2')])
    assert new File(etc, 'a').text == 'a edited': 'an edit of a file the build writes is kept'
    assert new File(built, 'a').text == 'a2'
    assert new File(etc, 'b').text == 'b2': 'a file the user did not edit is the build\'s'
    assert new File(etc, 'generated').text == 'g2'
    assert new File(replaced, 'generated').text == 'g edited'
    assert !new File(replaced, 'a').exists()
    assert !new File(etc, 'dropped.cfg.json').exists(): 'a file only an earlier build wrote is stale'
    assert new File(etc, 'edited.cfg.json').text == 'e edited'
    assert new File(etc, 'mine.cfg.json').text == 'user'
    assert (built.list() as Set) == ['a', 'b', 'generated'] as Set: 'the build\'s copy holds this build\'s files only'
    assert messages*.get(0) == ['warn', 'warn', 'info', 'warn', 'info']
    assert messages[0][1] == "etc/a: edited since the last build wrote it, kept; this build's version differs, it is in ${built}/a: compare them, and copy it over etc/a to take it"
    assert messages[1][1].startsWith('etc/generated had changes this build replaces')
    assert messages[2][1] == 'etc/dropped.cfg.json: removed, an earlier build wrote it and this one does not'
    assert messages[3][1].startsWith('etc/edited.cfg.json: an earlier build wrote it and this one does not, but it was edited since: kept')
    assert messages[4][1] == 'etc/ keeps files this build does not write: mine.cfg.json'

    // an unchanged build keeps the edit, changes nothing and backs nothing up
    new File(replaced, 'generated').delete()
    messages = sync([a: bytes('a2'), b: bytes('b2'), generated: bytes('g2')])
    assert new File(etc, 'a').text == 'a edited'
    assert !replaced.list()
    assert messages == [['info', "etc/a: edited, kept; the build's version, the same as the last build's, is in ${built}/a".toString()],
                        ['info', 'etc/ keeps files this build does not write: edited.cfg.json, mine.cfg.json']]
    def recorded = new Properties(); record.withInputStream { recorded.load(it) }
    assert recorded.stringPropertyNames() == ['a', 'b', 'generated'] as Set
    assert record.readLines().findAll { it.startsWith('#') } == ['#The files of etc/ the build wrote, with their SHA-256']:
            'no date: an unchanged build writes the same record'

    // the user takes the build's version: the next builds replace it again
    new File(etc, 'a').bytes = new File(built, 'a').bytes
    messages = sync([a: bytes('a3'), b: bytes('b2'), generated: bytes('g2')])
    assert new File(etc, 'a').text == 'a3'
    assert messages == [['info', 'etc/ keeps files this build does not write: edited.cfg.json, mine.cfg.json']]
    log.info('EtcFolder: tests passed')
} finally {
    dir.deleteDir()
}
