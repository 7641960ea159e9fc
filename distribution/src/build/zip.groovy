// Packs target/mcp-agent into target/mcp-agent-<version>.zip with only the build's files (DistributionZip.groovy).
def prop = { String key -> session.userProperties[key] ?: project.properties[key] }
def distributionZip = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(project.basedir, 'src/build/DistributionZip.groovy'))
def name = "mcp-agent-${project.version}"
def zip = new File(project.build.directory, "${name}.zip")
// the time the reactor's jars carry (reproducible builds), for every entry of the zip too
def entryTime = java.time.Instant.parse(prop('project.build.outputTimestamp')).toEpochMilli()
distributionZip.write(new File(prop('mcpagent.dist.dir')), new File(prop('mcpagent.dist.etc.built')), zip, name, entryTime)
log.info("Packed ${zip}")
