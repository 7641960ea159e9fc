// Assembles the runtime from the OSGi Feature JSON files (../features): the one list of runtime bundles.
// - resolves each bundle's Maven coordinates (reactor first, then the local and remote repositories),
// - copies them to system/, writes etc/framework.properties' felix.auto.start lists from their start orders,
// - writes each feature's configurations to etc/<pid>.cfg.json, refreshing the files of etc/ it owns and keeping
//   the user's and the user's edits (EtcFolder.groovy),
// - writes one bndrun per feature that the bnd resolver then resolves against the feature's own bundles and
//   those of the features it depends on, and nothing else, so a missing requirement fails the build.
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.util.jar.JarFile
import org.eclipse.aether.artifact.DefaultArtifact
import org.eclipse.aether.repository.WorkspaceRepository
import org.eclipse.aether.resolution.ArtifactRequest

def prop = { String key -> session.userProperties[key] ?: project.properties[key] }
def fail = { String msg -> throw new org.apache.maven.plugin.MojoFailureException(msg) }
def featuresDir = new File(prop('mcpagent.features.dir')).canonicalFile
def dist = new File(prop('mcpagent.dist.dir'))
def selected = prop('mcpagent.features').split(',')*.trim().findAll { it }
def repoSystem = session.container.lookup(org.eclipse.aether.RepositorySystem)
final String DEPENDENCIES = 'io.mcpagent.feature.dependencies'

def resolveArtifact = { String coords, String what ->
    def parts = coords.split(':')
    // Feature bundle ids: groupId:artifactId[:type[:classifier]]:version
    if (parts.length < 3 || parts.length > 5 || parts.any { it.isEmpty() }) {
        fail("${what}: '${coords}' is not groupId:artifactId[:type[:classifier]]:version")
    }
    def type = parts.length >= 4 ? parts[2] : 'jar'
    def classifier = parts.length == 5 ? parts[3] : ''
    def artifact = new DefaultArtifact(parts[0], parts[1], classifier, type, parts[-1])
    def build = 'build it with the distribution: ./mvnw package -pl distribution -am, or the whole reactor: ./mvnw package'
    def result
    try {
        result = repoSystem.resolveArtifact(session.repositorySession,
                new ArtifactRequest(artifact, project.remoteProjectRepositories, null))
    } catch (Exception e) {
        fail("${what}: cannot resolve ${coords}: ${e.message}. If it is one of ours, ${build}")
    }
    // one of ours not from this build's reactor is what an earlier build installed: the distribution would hold it
    if (parts[0] == project.groupId && !(result.repository instanceof WorkspaceRepository)) {
        fail("${what}: ${coords} is not built by this build but taken from ${result.repository}, where an earlier build installed it; ${build}")
    }
    result.artifact.file
}

// 1. Read and check the features.
def slurper = new JsonSlurper()
def features = [:]   // short name -> feature
featuresDir.listFiles().findAll { it.name.endsWith('.json') }.sort { it.name }.each { file ->
    def name = file.name - '.json'
    def json
    try {
        json = slurper.parse(file)
    } catch (Exception e) {
        fail("features/${file.name}: not valid JSON: ${e.message}")
    }
    if (!(json instanceof Map)) fail("features/${file.name}: the top level must be a JSON object")
    if (json['feature-resource-version'] != '1.0') fail("features/${file.name}: feature-resource-version must be \"1.0\"")
    def idParts = (json.id ?: '').split(':')
    if (idParts.length != 4 || idParts[2] != 'osgifeature' || idParts[1] != name) {
        fail("features/${file.name}: id must be <groupId>:${name}:osgifeature:<version>, was '${json.id}'")
    }
    if (!(json.bundles instanceof List) || json.bundles.isEmpty()) fail("features/${file.name}: 'bundles' must be a non-empty list")
    json.bundles.eachWithIndex { b, i ->
        if (!(b instanceof Map) || !(b.id instanceof String)) fail("features/${file.name}: bundles[${i}] needs an 'id' string")
        def order = b['start-order']
        if (!(order instanceof Integer) || order < 1 || order > 9) {
            fail("features/${file.name}: bundles[${i}] (${b.id}) needs a 'start-order' between 1 and 9 (deploy/ bundles start at 10)")
        }
    }
    if (json.configurations != null && !(json.configurations instanceof Map)) fail("features/${file.name}: 'configurations' must be an object of PID to properties")
    def deps = json.extensions?.get(DEPENDENCIES)?.artifacts?.collect { it.id } ?: []
    features[name] = [file: file, json: json, id: json.id, deps: deps]
}
def byId = features.values().collectEntries { [(it.id): it] }
// -pl distribution -am builds only the modules this pom depends on: it must depend on every bundle of ours a feature
// lists (of any feature, whichever mcpagent.features selects), and on nothing else of ours but the launcher
def listedBy = [:]   // artifactId of a bundle of ours -> the feature file listing it
features.each { name, f ->
    f.json.bundles*.id.findAll { it.startsWith("${project.groupId}:") }.each { listedBy[it.split(':')[1]] = "features/${name}.json" }
}
def declared = project.dependencies.findAll { it.groupId == project.groupId }*.artifactId as Set
declared.remove(prop('mcpagent.launcher').split(':')[1])
def undeclared = listedBy.keySet() - declared
if (undeclared) {
    fail("distribution/pom.xml does not depend on ${undeclared.sort().collect { "${it} (${listedBy[it]})" }.join(', ')}, so ./mvnw package -pl distribution -am would not build it: add <dependency><groupId>${project.groupId}</groupId><artifactId>...</artifactId><version>\${project.version}</version><scope>provided</scope></dependency> beside the others")
}
def unlisted = declared - listedBy.keySet()
if (unlisted) fail("distribution/pom.xml depends on ${unlisted.sort().join(', ')}, which no file in features/ lists: remove the dependency")
selected.each { if (!features[it]) fail("feature '${it}' (property mcpagent.features) has no file features/${it}.json; there are: ${features.keySet()}") }
def closure
closure = { String name, Set seen = new LinkedHashSet() ->
    if (seen.add(name)) {
        features[name].deps.each { depId ->
            def dep = byId[depId]
            if (!dep) fail("features/${name}.json depends on ${depId}, which no file in features/ defines")
            closure(dep.file.name - '.json', seen)
        }
    }
    seen
}
def included = new LinkedHashSet()
selected.each { included.addAll(closure(it)) }
def missingDeps = included - selected
if (missingDeps) fail("features ${selected} depend on ${missingDeps}; add them to mcpagent.features")

// 2. Resolve and copy the bundles.
def system = new File(dist, 'system'); system.deleteDir(); system.mkdirs()
def lib = new File(dist, 'lib'); lib.mkdirs()
def bundles = [:]   // coords -> [file, bsn, order, feature]
included.each { name ->
    features[name].json.bundles.each { b ->
        if (bundles[b.id]) fail("bundle ${b.id} is listed by both features/${bundles[b.id].feature}.json and features/${name}.json; keep it in one")
        def source = resolveArtifact(b.id, "features/${name}.json")
        def bsn
        try {
            new JarFile(source).withCloseable { jar ->
                bsn = jar.manifest?.mainAttributes?.getValue('Bundle-SymbolicName')?.split(';')?.getAt(0)?.trim()
            }
        } catch (IOException e) {
            fail("features/${name}.json: ${b.id} (${source}) is not a readable jar: ${e.message}")
        }
        if (!bsn) fail("features/${name}.json: ${b.id} is not an OSGi bundle (no Bundle-SymbolicName)")
        def target = new File(system, source.name)
        Files.copy(source.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING)
        bundles[b.id] = [file: target, bsn: bsn, order: b['start-order'], feature: name]
    }
}
def launcher = resolveArtifact(prop('mcpagent.launcher'), 'property mcpagent.launcher')
Files.copy(launcher.toPath(), new File(lib, 'mcp-agent-launcher.jar').toPath(), StandardCopyOption.REPLACE_EXISTING)
def felixMain = resolveArtifact(prop('mcpagent.felix.main'), 'property mcpagent.felix.main')
// the name the launcher's manifest Class-Path gives
Files.copy(felixMain.toPath(), new File(lib, 'felix.jar').toPath(), StandardCopyOption.REPLACE_EXISTING)

// 3. Layout, framework properties with the generated start lists, configurations.
['deploy', 'data', 'etc', 'bin'].each { new File(dist, it).mkdirs() }
def distSource = new File(project.basedir, 'src/main/dist').toPath()
def etcFiles = new TreeMap<String, byte[]>()   // written to etc/ at the end, by EtcFolder
Files.walk(distSource).withCloseable { paths ->
    paths.filter { Files.isRegularFile(it) }.each { src ->
        def relative = distSource.relativize(src)
        if (relative.getName(0).toString() == 'etc' && relative.nameCount == 2) {
            etcFiles[relative.fileName.toString()] = Files.readAllBytes(src)
            return
        }
        def target = dist.toPath().resolve(relative.toString())
        Files.createDirectories(target.parent)
        Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING)
    }
}
new File(dist, 'bin/mcp-agent').setExecutable(true, false)
new File(dist, 'bin/find-jdk.sh').text = new File(project.basedir, '../bnd/find-jdk.sh').text
def lines = new StringBuilder(new String(etcFiles['framework.properties'], 'UTF-8'))
// the line from which the build generates framework.properties: a rebuild keeps the user's lines above it (EtcFolder)
def generatedMarker = '# ---- generated from features'
lines << "\n${generatedMarker} ${included.join(', ')}: do not edit below ----\n"
// io.mcpagent.core's JavaLoggingBridge copies what io.mcpagent.deploy.gate logs (java.util.logging) into the
// runtime's log from its own start on only, so the gate starts after core: at a higher start-order, or later in the
// same one, as the framework starts a level's bundles in the order of their ids, that is of the lists below
def startsAt = { String bsn ->
    def ordered = bundles.values().toList()
    def bundle = ordered.find { it.bsn == bsn }
    bundle == null ? null : [order: bundle.order, position: ordered.indexOf(bundle)]
}
def core = startsAt('io.mcpagent.core'), gate = startsAt('io.mcpagent.deploy.gate')
if (core && gate && (gate.order < core.order || gate.order == core.order && gate.position < core.position)) {
    fail("features: io.mcpagent.deploy.gate (start-order ${gate.order}) must start after io.mcpagent.core (start-order"
            + " ${core.order}): a higher start-order, or listed after it with the same one; otherwise what the gate logs"
            + " at its start reaches only data/log/framework.log, not the runtime's log")
}
bundles.values().groupBy { it.order }.sort().each { order, list ->
    lines << "felix.auto.start.${order}=" << list.collect { "file:system/${it.file.name}" }.join(' \\\n  ') << '\n'
}
lines << "mcpagent.features=${included.join(',')}\n"
// the platform's version, for bin/mcp-agent --version and GET /api/v1/status
lines << "mcpagent.version=${project.version}\n"
// the jars of each feature, by their names in system/: the launcher names the feature of a jar missing there, and
// refuses to start without one of core, which every other feature needs; and the features each one needs: the
// launcher leaves out the jars of a feature that needs one lacking a jar, as they would only fail to resolve
included.each { name ->
    lines << "mcpagent.feature.${name}.jars=" << bundles.values().findAll { it.feature == name }
            .collect { it.file.name }.join(' \\\n  ') << '\n'
    def needs = features[name].deps.collect { byId[it].file.name - '.json' }
    if (needs) lines << "mcpagent.feature.${name}.dependencies=${needs.join(',')}\n"
}
etcFiles['framework.properties'] = lines.toString().getBytes('UTF-8')
included.each { name ->
    features[name].json.configurations?.each { pid, properties ->
        if (!(properties instanceof Map)) fail("features/${name}.json: configuration '${pid}' must be a JSON object")
        etcFiles["${pid}.cfg.json".toString()] = (JsonOutput.prettyPrint(JsonOutput.toJson(properties)) + '\n').getBytes('UTF-8')
    }
}
// etc/ is where users configure too: the build's files are refreshed unless edited or deleted, stale ones of earlier
// builds removed, the user's kept (EtcFolder). The build's own copy of etc/ and the record are outside the
// distribution; the zip and the integration tests take that copy. framework.properties' generated part is always
// written: its start lists name the jars of system/, which each build writes afresh (their names carry versions).
def etcFolder = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(project.basedir, 'src/build/EtcFolder.groovy'))
def neededToStart = [
        'framework.properties': 'without it the framework starts none of the bundles (its felix.auto.start lines) and runs idle',
        'logback.xml': 'without it bin/mcp-agent does not start (exit 2, logback would log nothing)']
def etcMessages = etcFolder.sync(new File(dist, 'etc'), etcFiles, ['framework.properties': generatedMarker],
        neededToStart, new File(prop('mcpagent.dist.etc.record')), new File(prop('mcpagent.dist.etc.built')),
        new File(project.build.directory, 'etc-replaced'))   // where earlier builds copied replaced files
def etcErrors = etcMessages.findAll { level, text -> level == 'error' }*.get(1)
if (etcErrors) fail(etcErrors.join('\n'))
etcMessages.each { level, text -> log."${level}"(text) }

// 4. One bndrun per feature: require its bundles, blacklist every bundle outside its closure.
def bndrunDir = new File(project.build.directory, 'bndrun'); bndrunDir.deleteDir(); bndrunDir.mkdirs()
def identity = { "bnd.identity;id='${it.bsn}'" }
included.each { name ->
    def own = closure(name)
    def inside = bundles.values().findAll { own.contains(it.feature) }
    def outside = bundles.values().findAll { !own.contains(it.feature) }
    def text = new StringBuilder()
    text << "# Generated from features/${name}.json and its dependencies ${own - name}\n"
    text << "-runfw: org.apache.felix.main\n-runee: JavaSE-21\n-resolve.effective: active\n"
    text << "-runrequires: " << inside.collect(identity).join(',\\\n  ') << '\n'
    if (outside) text << "-runblacklist: " << outside.collect(identity).join(',\\\n  ') << '\n'
    new File(bndrunDir, "${name}.bndrun").text = text.toString()
}
log.info("Assembled ${dist} from features ${included.join(', ')}: ${bundles.size()} bundles")
