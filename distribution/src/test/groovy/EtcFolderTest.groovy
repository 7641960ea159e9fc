// Tests EtcFolder.groovy (how the build writes etc/ of the assembled distribution), run by the test phase.
import java.nio.file.Files

if ((session.userProperties['skipTests'] ?: project.properties['skipTests']) in ['', 'true']) return
def EtcFolder = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(project.basedir, 'src/build/EtcFolder.groovy'))
def dir = Files.createTempDirectory('etc-folder-test').toFile()
try {
    def etc = new File(dir, 'etc'), record = new File(dir, 'record.properties')
    def built = new File(dir, 'etc-build')
    def bytes = { String text -> text.getBytes('UTF-8') }
    // a file the build generates from the marker line on, as framework.properties' bundle lists
    def marker = '# ---- generated from'
    def generated = [generated: marker]
    def withGenerated = { String head, String features ->
        bytes("${head}${marker} ${features}\nauto.start=${features}\nfeatures=${features}\n")
    }
    def g1 = withGenerated('x=1\n', 'f1'), g2 = withGenerated('x=1\n', 'f2')
    def needed = [needed: 'a start needs it']
    def formerCopies = new File(dir, 'etc-replaced')
    def sync = { Map<String, byte[]> files ->
        EtcFolder.sync(etc, files, generated, needed, record, built, formerCopies)
    }
    def replacedCopies = { (etc.list() as List).findAll { it.contains('.replaced') }.sort() }

    // a first build, over a user's file
    new File(etc, 'mine.cfg.json').with { parentFile.mkdirs(); text = 'user' }
    def messages = sync([a: bytes('a1'), b: bytes('b1'), generated: g1, 'dropped.cfg.json': bytes('d'),
                         'edited.cfg.json': bytes('e')])
    assert (etc.list() as Set) == ['a', 'b', 'generated', 'dropped.cfg.json', 'edited.cfg.json', 'mine.cfg.json'] as Set
    assert (built.list() as Set) == ['a', 'b', 'generated', 'dropped.cfg.json', 'edited.cfg.json'] as Set
    assert messages == [['info', 'etc/ keeps files this build does not write: mine.cfg.json']]

    // the user edits a file the build writes, one with a generated part, removing its marker line, and one the build
    // will no longer write; the next build writes new versions of a, b and generated, and drops two files
    new File(etc, 'a').text = 'a edited'
    new File(etc, 'generated').text = 'g edited'
    new File(etc, 'edited.cfg.json').text = 'e edited'
    messages = sync([a: bytes('a2'), b: bytes('b2'), generated: g2])
    assert new File(etc, 'a').text == 'a edited': 'an edit of a file the build writes is kept'
    assert new File(built, 'a').text == 'a2'
    assert new File(etc, 'b').text == 'b2': 'a file the user did not edit is the build\'s'
    assert new File(etc, 'generated').bytes == g2: 'without its marker line, the file is replaced whole'
    assert new File(etc, 'generated.replaced').text == 'g edited'
    assert replacedCopies() == ['generated.replaced']
    assert !new File(etc, 'dropped.cfg.json').exists(): 'a file only an earlier build wrote is stale'
    assert new File(etc, 'edited.cfg.json').text == 'e edited'
    assert new File(etc, 'mine.cfg.json').text == 'user'
    assert (built.list() as Set) == ['a', 'b', 'generated'] as Set: 'the build\'s copy holds this build\'s files only'
    assert messages*.get(0) == ['warn', 'warn', 'info', 'warn', 'info']
    assert messages[0][1] == "etc/a: edited since the last build wrote it, kept; this build's version differs, it is in ${built}/a: compare them, and copy it over etc/a to take it"
    assert messages[1][1] == "etc/generated has no line '${marker}', from which the build writes it, so it is replaced whole; the file as it was is in etc/generated.replaced, which later builds keep: delete it once you took what you need"
    assert messages[2][1] == 'etc/dropped.cfg.json: removed, an earlier build wrote it and this one does not'
    assert messages[3][1].startsWith('etc/edited.cfg.json: an earlier build wrote it and this one does not, but it was edited since: kept')
    assert messages[4][1] == 'etc/ keeps files this build does not write: generated.replaced, mine.cfg.json'

    // the copy stays, named by every build, until the user deletes it; an unchanged build keeps the edit, changes
    // nothing and copies nothing
    messages = sync([a: bytes('a2'), b: bytes('b2'), generated: g2])
    assert new File(etc, 'generated.replaced').text == 'g edited'
    assert messages[-1] == ['info', 'etc/ keeps files this build does not write: edited.cfg.json, generated.replaced, mine.cfg.json']
    new File(etc, 'generated.replaced').delete()
    messages = sync([a: bytes('a2'), b: bytes('b2'), generated: g2])
    assert new File(etc, 'a').text == 'a edited'
    assert !replacedCopies()
    assert messages == [['info', "etc/a: edited, kept; the build's version, the same as the last build's, is in ${built}/a".toString()],
                        ['info', 'etc/ keeps files this build does not write: edited.cfg.json, mine.cfg.json']]
    def recorded = new Properties(); record.withInputStream { recorded.load(it) }
    assert recorded.stringPropertyNames() == ['a', 'b', 'generated', 'generated/above', 'generated/generated'] as Set
    assert record.readLines().findAll { it.startsWith('#') } == ["#The build's files of etc/, with their SHA-256; <name>/above and <name>/generated: the parts of a file with a generated part"]:
            'no date: an unchanged build writes the same record'

    // the user takes the build's version: the next builds replace it again
    new File(etc, 'a').bytes = new File(built, 'a').bytes
    messages = sync([a: bytes('a3'), b: bytes('b2'), generated: g2])
    assert new File(etc, 'a').text == 'a3'
    assert messages == [['info', 'etc/ keeps files this build does not write: edited.cfg.json, mine.cfg.json']]

    // the user adds lines above the generated part: a build that generates it anew keeps them
    def mine = 'x=1\n# the operator\'s\nx=2\nown=yes\n'
    new File(etc, 'generated').bytes = withGenerated(mine, 'f2')
    def g3 = withGenerated('x=1\n', 'f3')
    messages = sync([a: bytes('a3'), b: bytes('b2'), generated: g3])
    assert new File(etc, 'generated').bytes == withGenerated(mine, 'f3')
    assert new File(built, 'generated').bytes == g3
    assert !replacedCopies(): 'nothing of the generated part was edited'
    assert messages[0] == ['info', "etc/generated: edited above the line '${marker}', kept; the build's version, the same as the last build's above that line, is in ${built}/generated".toString()]
    def read = new Properties(); new File(etc, 'generated').withInputStream { read.load(it) }
    assert read.x == '2' && read.own == 'yes' && read.'auto.start' == 'f3': 'of a key set twice, the last line counts'

    // the user edits the generated part and sets a generated key above it; the build replaces that part, backs the
    // file up, and says the key above is overridden; a build whose part above the marker changed warns
    new File(etc, 'generated').bytes = withGenerated(mine + 'auto.start=mine\n', 'f3 edited')
    def g4 = withGenerated('x=1\ny=1\n', 'f3')
    messages = sync([a: bytes('a3'), b: bytes('b2'), generated: g4])
    assert new File(etc, 'generated').bytes == withGenerated(mine + 'auto.start=mine\n', 'f3')
    assert new File(etc, 'generated.replaced').bytes == withGenerated(mine + 'auto.start=mine\n', 'f3 edited')
    assert messages.take(3) == [
            ['warn', "etc/generated had changes from the line '${marker}' on, which the build writes: that part is replaced; the file as it was is in etc/generated.replaced, which later builds keep: delete it once you took what you need".toString()],
            ['warn', "etc/generated: edited above the line '${marker}' since the last build wrote it, kept; this build's version differs there, it is in ${built}/generated: compare them, and copy its lines over yours to take them".toString()],
            ['warn', "etc/generated: the build sets again below the line '${marker}', and so overrides, keys set above it: auto.start".toString()]]

    // another edit there is copied beside the first copy, which is the user's now
    new File(etc, 'generated').bytes = withGenerated(mine, 'f3 edited again')
    sync([a: bytes('a3'), b: bytes('b2'), generated: g4])
    assert replacedCopies() == ['generated.replaced', 'generated.replaced.2']
    assert new File(etc, 'generated.replaced').bytes == withGenerated(mine + 'auto.start=mine\n', 'f3 edited')
    assert new File(etc, 'generated.replaced.2').bytes == withGenerated(mine, 'f3 edited again')
    replacedCopies().each { new File(etc, it).delete() }

    // the user takes the build's version: the next builds replace it whole again
    new File(etc, 'generated').bytes = g4
    def g5 = withGenerated('x=5\n', 'f5')
    messages = sync([a: bytes('a3'), b: bytes('b2'), generated: g5])
    assert new File(etc, 'generated').bytes == g5
    assert messages == [['info', 'etc/ keeps files this build does not write: edited.cfg.json, mine.cfg.json']]

    // without the last build's copy of etc/ (target/etc-build deleted), the record's hashes of the parts still tell
    // the user's edit above the line from the build's new generated part: nothing is copied, the edit is kept quietly
    new File(etc, 'generated').bytes = withGenerated(mine, 'f5')
    built.deleteDir()
    messages = sync([a: bytes('a3'), b: bytes('b2'), generated: withGenerated('x=5\n', 'f6')])
    assert new File(etc, 'generated').bytes == withGenerated(mine, 'f6')
    assert !replacedCopies(): 'the generated part was the last build\'s'
    assert messages[0] == ['info', "etc/generated: edited above the line '${marker}', kept; the build's version, the same as the last build's above that line, is in ${built}/generated".toString()]
    // and the build's new part above the line, with the user's part untouched, is no edit of the user's
    new File(etc, 'generated').bytes = withGenerated('x=5\n', 'f6 edited')
    built.deleteDir()
    def g7 = withGenerated('x=7\n', 'f6')
    messages = sync([a: bytes('a3'), b: bytes('b2'), generated: g7])
    assert new File(etc, 'generated').bytes == g7
    assert new File(etc, 'generated.replaced').bytes == withGenerated('x=5\n', 'f6 edited')
    assert messages*.get(0) == ['warn', 'info']
    new File(etc, 'generated.replaced').delete()

    // a file the build writes that the user deleted stays deleted, and the build says how to have it back; one that a
    // start needs is written again
    sync([a: bytes('a3'), b: bytes('b2'), generated: g7, needed: bytes('n1')])
    new File(etc, 'b').delete()
    new File(etc, 'needed').delete()
    messages = sync([a: bytes('a3'), b: bytes('b3'), generated: g7, needed: bytes('n2')])
    assert !new File(etc, 'b').exists()
    assert new File(built, 'b').text == 'b3'
    assert new File(etc, 'needed').text == 'n2'
    assert messages.take(2) == [
            ['info', "etc/b: deleted since a build wrote it, stays deleted; this build's version is in ${built}/b: copy it to etc/ to have it back".toString()],
            ['warn', 'etc/needed: deleted since the last build wrote it, written again: a start needs it']]
    messages = sync([a: bytes('a3'), b: bytes('b4'), generated: g7, needed: bytes('n2')])
    assert !new File(etc, 'b').exists(): 'it stays deleted in later builds too'
    assert messages[0][1].startsWith('etc/b: deleted since a build wrote it, stays deleted')
    // copied back, it is the build's again
    new File(etc, 'b').bytes = new File(built, 'b').bytes
    sync([a: bytes('a3'), b: bytes('b5'), generated: g7, needed: bytes('n2')])
    assert new File(etc, 'b').text == 'b5'
    // a new distribution (its etc/ deleted with it) gets every file
    etc.deleteDir()
    messages = sync([a: bytes('a3'), b: bytes('b5'), generated: g7, needed: bytes('n2')])
    assert (etc.list() as Set) == ['a', 'b', 'generated', 'needed'] as Set
    assert messages == []

    // copies an earlier build made in target/etc-replaced/, out of sight, are moved beside their file, once, a copy
    // there kept
    formerCopies.mkdirs()
    new File(formerCopies, 'generated').text = 'g edited long ago'
    new File(formerCopies, 'logback.xml').text = 'l edited long ago'
    new File(etc, 'generated.replaced').text = 'copied later'
    messages = sync([a: bytes('a3'), b: bytes('b5'), generated: g7, needed: bytes('n2')])
    assert !formerCopies.exists()
    assert new File(etc, 'generated.replaced').text == 'copied later'
    assert new File(etc, 'generated.replaced.2').text == 'g edited long ago'
    assert new File(etc, 'logback.xml.replaced').text == 'l edited long ago'
    assert messages == [
            ['warn', "etc/generated.replaced.2: moved from ${formerCopies}/generated, where an earlier build copied etc/generated before replacing it; builds keep such copies beside their file now: delete it once you took what you need".toString()],
            ['warn', "etc/logback.xml.replaced: moved from ${formerCopies}/logback.xml, where an earlier build copied etc/logback.xml before replacing it; builds keep such copies beside their file now: delete it once you took what you need".toString()],
            ['info', 'etc/ keeps files this build does not write: generated.replaced, generated.replaced.2, logback.xml.replaced']]
    replacedCopies().each { new File(etc, it).delete() }

    // a folder where the build writes a file: the build fails naming it, before it changes anything in etc/ or the
    // record (it wrote the files before it, then failed with a bare 'Is a directory')
    new File(etc, 'b').delete()
    new File(etc, 'b').mkdir()
    def recordBefore = record.bytes
    messages = sync([a: bytes('a4'), b: bytes('b6'), generated: g7, needed: bytes('n3')])
    assert messages == [['error', "${new File(etc, 'b')} is a folder, where the build writes its file b: nothing in etc/ was changed; move it away, or delete it, and build again".toString()]]
    assert new File(etc, 'a').text == 'a3' && new File(etc, 'needed').text == 'n2'
    assert record.bytes == recordBefore
    new File(etc, 'b').delete()
    // and a file where etc/ goes
    etc.deleteDir()
    etc.text = 'not a folder'
    messages = sync([a: bytes('a4'), b: bytes('b6'), generated: g7, needed: bytes('n3')])
    assert messages == [['error', "${etc} is a file, where the build writes the distribution's configuration folder: move it away, or delete it, and build again".toString()]]
    assert etc.text == 'not a folder'
    etc.delete()
    log.info('EtcFolder: tests passed')
} finally {
    dir.deleteDir()
}
