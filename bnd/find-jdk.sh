# Sourced by ./mvnw, .ci/run and the distribution's bin/mcp-agent.
# mcpagent_find_jdk MIN [runtime] prints a JAVA_HOME whose java is version MIN or newer, or explains what to install.
# A JDK (with javac) is needed to build (./mvnw, .ci/run); with 'runtime', to run the distribution, a JRE does too.
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
  local min="$1" need="${2:-jdk}" candidate major best="" best_major=0 why_not_java_home=""
  local kind="JDK"
  [ "$need" != runtime ] || kind="Java (JDK or JRE)"
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/* \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if [ "$need" != runtime ] && [ ! -x "$candidate/bin/javac" ]; then
      [ "$candidate" != "${JAVA_HOME:-}" ] || why_not_java_home="is a JRE (no bin/javac): the build needs a JDK"
      continue
    fi
    major="$(mcpagent_java_major "$candidate")"
    if [ -z "$major" ] || [ "$major" -lt "$min" ]; then
      [ "$candidate" != "${JAVA_HOME:-}" ] || why_not_java_home="is Java ${major:-of an unknown version}"
      continue
    fi
    # JAVA_HOME wins when it qualifies; otherwise take the newest.
    if [ "$candidate" = "${JAVA_HOME:-}" ]; then echo "$candidate"; return 0; fi
    if [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  echo "error: no $kind $min or newer found (looked at JAVA_HOME, /usr/lib/jvm, ~/.sdkman, /opt/java, java on PATH)." >&2
  if [ -n "$why_not_java_home" ]; then
    echo "       JAVA_HOME ($JAVA_HOME) $why_not_java_home." >&2
  elif [ -n "${JAVA_HOME:-}" ]; then
    echo "       JAVA_HOME ($JAVA_HOME) has no bin/java." >&2
  fi
  echo "       Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or set JAVA_HOME to it." >&2
  return 1
}
