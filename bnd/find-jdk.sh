# Sourced by ./mvnw, .ci/run and the distribution's bin/mcp-agent.
# mcpagent_find_jdk MIN prints a JAVA_HOME whose java is version MIN or newer, or explains what to install.
mcpagent_java_major() {
  # The JDK's release file answers without starting a JVM (which costs ~0.3 s per candidate).
  if [ -r "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
  fi
}
mcpagent_find_jdk() {
  local min="$1" candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/* \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(mcpagent_java_major "$candidate")"
    [ -n "$major" ] && [ "$major" -ge "$min" ] || continue
    # JAVA_HOME wins when it qualifies; otherwise take the newest.
    if [ "$candidate" = "${JAVA_HOME:-}" ]; then echo "$candidate"; return 0; fi
    if [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  echo "error: no JDK $min or newer found (looked at JAVA_HOME, /usr/lib/jvm, ~/.sdkman, /opt/java, java on PATH)." >&2
  echo "       Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or set JAVA_HOME to it." >&2
  return 1
}
