#!/usr/bin/env bash
# Measures the distribution as the build made it (in a copy, with etc/ from distribution/target/etc-build, so none of
# the files added or edited in its etc/ and no jar of its deploy/): start to /api/v1/health answering (cold: empty
# data/; warm: cache and class-data archive from an earlier start), idle heap after a full GC, RSS, and the time from
# copying a plugin jar into deploy/ to the plugin being listed over REST, and from deleting it to it being gone.
#
#   benchmarks/startup.sh [runs]        (default 5 runs; build first: ./mvnw -B package -DskipTests)
#   MCPAGENT_JAVA_OPTS=-XX:TieredStopAtLevel=1 benchmarks/startup.sh   (C1 only: faster start, slower peak)
#
# Prints one line per run and medians. A harness, not a test: these machines are shared and noisy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
dist="$root/distribution/target/mcp-agent"
built_etc="$root/distribution/target/etc-build"
example="$(ls "$root"/examples/pattern-echo/target/io.mcpagent.example.pattern.echo-*.jar 2>/dev/null | head -1)"
[ -x "$dist/bin/mcp-agent" ] && [ -d "$built_etc" ] && [ -n "$example" ] \
  || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 1; }
. "$root/bnd/find-jdk.sh"
java_home="$(mcpagent_find_jdk 21)"
port="${MCPAGENT_BENCH_PORT:-18181}"
key="mcpa_bench_$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=""

now_ms() { date +%s%3N; }
wait_for() { # url predicate-grep timeout_s
  local deadline=$(( $(now_ms) + $3 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if curl -s -H "X-Api-Key: $key" "$1" 2>/dev/null | grep -q -- "$2"; then return 0; fi
    sleep 0.01
  done
  return 1
}
wait_gone() {
  local deadline=$(( $(now_ms) + $3 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if ! curl -s -H "X-Api-Key: $key" "$1" 2>/dev/null | grep -q -- "$2"; then return 0; fi
    sleep 0.01
  done
  return 1
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# the distribution as the build made it: etc/ from the build's copy, without the files an operator added to the
# distribution's etc/ or edits there (a provider, an MCP server), no jars in deploy/ (the example's among them), no data/
home="$work/mcp-agent"
mkdir -p "$home/deploy" "$home/data"
for part in "$dist"/*; do
  case "${part##*/}" in etc|deploy|data) ;; *) cp -r "$part" "$home/" ;; esac
done
cp -r "$built_etc" "$home/etc"
sed -i "s/\"org.osgi.service.http.port:Integer\" *: *[0-9]*/\"org.osgi.service.http.port:Integer\" : $port/" "$home/etc/org.apache.felix.http.cfg.json"

printf '%-6s %-8s %10s %12s %10s %12s %12s\n' run start start_ms heap_used_kb rss_kb deploy_ms undeploy_ms
for i in $(seq 1 "$runs"); do
  kind=warm
  if [ "$i" = 1 ]; then kind=cold; fi
  t0=$(now_ms)
  MCPAGENT_ADMIN_KEY="$key" "$home/bin/mcp-agent" --no-console >"$work/out.$i" 2>&1 &
  pid=$!
  wait_for "http://127.0.0.1:$port/api/v1/health" UP 60 || { echo "no health; output:"; cat "$work/out.$i"; exit 1; }
  start_ms=$(( $(now_ms) - t0 ))
  sleep 5   # let start-up work settle before measuring idle memory
  jpid=$(pgrep -f -- "mcpagent.home=$home" | head -1)
  "$java_home/bin/jcmd" "$jpid" GC.run >/dev/null
  # heap in use after a full GC: the 'used' of every generation (lines with 'total ..., used ...K')
  heap_kb=$("$java_home/bin/jcmd" "$jpid" GC.heap_info | awk '/ total .*, used / {for (f=1; f<=NF; f++) if ($f=="used") {v=$(f+1); gsub(/[K,]/, "", v); s+=v}} END {print s}')
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$jpid/status")
  t1=$(now_ms); cp "$example" "$home/deploy/"
  wait_for "http://127.0.0.1:$port/api/v1/plugins?kind=pattern" example.echo 30 || { echo "deploy not seen"; exit 1; }
  deploy_ms=$(( $(now_ms) - t1 ))
  t2=$(now_ms); rm "$home/deploy/$(basename "$example")"
  wait_gone "http://127.0.0.1:$port/api/v1/plugins?kind=pattern" example.echo 30 || { echo "undeploy not seen"; exit 1; }
  undeploy_ms=$(( $(now_ms) - t2 ))
  kill "$jpid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  printf '%-6s %-8s %10s %12s %10s %12s %12s\n' "$i" "$kind" "$start_ms" "$heap_kb" "$rss_kb" "$deploy_ms" "$undeploy_ms" | tee -a "$work/results"
done
echo "medians over warm runs:"
grep warm "$work/results" > "$work/warm" || true
if [ -s "$work/warm" ]; then
  echo "  start_ms     $(awk '{print $3}' "$work/warm" | median)"
  echo "  heap_used_kb $(awk '{print $4}' "$work/warm" | median)"
  echo "  rss_kb       $(awk '{print $5}' "$work/warm" | median)"
  echo "  deploy_ms    $(awk '{print $6}' "$work/warm" | median)"
  echo "  undeploy_ms  $(awk '{print $7}' "$work/warm" | median)"
else
  echo "  none: the first run is the cold one; give 2 runs or more"
fi
