#!/usr/bin/env bash
# Measures the platform's task analysis (every installed analyzer, ranked and handed over as configured) against
# labelled corpus files, through a running runtime's REST API: POST /api/v1/autonomous/analyze for each task.
# Prints, per analyzer that answered and in all, the pattern accuracy and the exact-set capability accuracy.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: measure.sh [--url URL] [--out FILE] CORPUS.tsv...
  --url URL   the runtime's base URL (default: $MCPAGENT_URL, else http://127.0.0.1:8181)
  --out FILE  also write one line per task: file:line, analyzer, expected and answered pattern and capabilities
The API key (role operator) comes from $MCPAGENT_KEY. Needs curl and jq.
USAGE
}

url="${MCPAGENT_URL:-http://127.0.0.1:8181}"
out=""
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --url) [ $# -ge 2 ] || { echo "measure.sh: --url needs a value" >&2; exit 2; }; url="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || { echo "measure.sh: --out needs a value" >&2; exit 2; }; out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "measure.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || { usage >&2; exit 2; }
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "measure.sh: $tool is not installed" >&2; exit 2; }
done
[ -n "${MCPAGENT_KEY:-}" ] || { echo "measure.sh: set MCPAGENT_KEY to an API key of role operator" >&2; exit 2; }
for file in "${files[@]}"; do
  [ -r "$file" ] || { echo "measure.sh: cannot read $file" >&2; exit 2; }
  # a carriage return would end the last field, the expected pattern, which then matches no answer
  if cr="$(grep -n -m 1 $'\r' "$file")"; then
    echo "measure.sh: $file has Windows line endings (CRLF; the first on line ${cr%%:*}): convert it, e.g. with sed -i 's/\r\$//' $file" >&2
    exit 2
  fi
  [ "$(head -n 1 "$file")" = "$(printf 'text\ttype\tcomplexity\tcapabilities\tpattern')" ] \
    || { echo "measure.sh: $file does not start with the corpus header (text, type, complexity, capabilities, pattern)" >&2; exit 2; }
done

# The capability list as one sorted, comma-separated word ("-" when empty), from a corpus label or a JSON array.
sorted_label() { [ "$1" = "-" ] && echo "-" || tr ',' '\n' <<<"$1" | sort | paste -sd, -; }

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for file in "${files[@]}"; do
  line_no=0
  # '|| [ -n "$text" ]': a last line without its newline is a task too (read returns 1 on it)
  while IFS=$'\t' read -r text type complexity capabilities pattern || [ -n "$text" ]; do
    line_no=$((line_no + 1))
    [ "$line_no" -eq 1 ] && continue
    case "$text" in ''|'#'*) continue ;; esac
    [ -n "$pattern" ] || { echo "measure.sh: $file:$line_no: expected 5 tab-separated fields (text, type, complexity, capabilities, pattern)" >&2; exit 2; }
    response="$(mktemp)"
    status="$(curl -sS -o "$response" -w '%{http_code}' -X POST -H "X-Api-Key: $MCPAGENT_KEY" \
      -H 'Content-Type: application/json' --data "$(jq -cn --arg task "$text" '{task: $task}')" \
      "$url/api/v1/autonomous/analyze")" || { rm -f "$response"; echo "measure.sh: $url is not reachable" >&2; exit 1; }
    if [ "$status" != 200 ]; then
      echo "measure.sh: $file:$line_no: HTTP $status: $(cat "$response")" >&2
      rm -f "$response"
      exit 1
    fi
    answered="$(jq -er '[.analyzer, .recommendedPattern, ((.requiredCapabilities | sort | join(",")) | if . == "" then "-" else . end)] | @tsv' "$response" 2>/dev/null)" \
      || { echo "measure.sh: $file:$line_no: the answer is not an analysis: $(head -c 300 "$response")" >&2; rm -f "$response"; exit 1; }
    rm -f "$response"
    printf '%s:%s\t%s\t%s\t%s\n' "$file" "$line_no" "$pattern" "$(sorted_label "$capabilities")" "$answered" >>"$results"
  done <"$file"
done

[ -s "$results" ] || { echo "measure.sh: no tasks in ${files[*]} (after the header, every line is one but blank ones and those starting with #)" >&2; exit 2; }
[ -z "$out" ] || { printf 'task\texpected_pattern\texpected_capabilities\tanalyzer\tpattern\tcapabilities\n'; cat "$results"; } >"$out"
awk -F'\t' '
  { n[$4]++; p[$4] += ($2 == $5); c[$4] += ($3 == $6); all++; pa += ($2 == $5); ca += ($3 == $6) }
  END {
    printf "%-24s %7s %8s %9s %13s\n", "analyzer", "tasks", "share", "pattern", "capabilities"
    for (a in n) printf "%-24s %7d %7.1f%% %9.3f %13.3f\n", a, n[a], 100 * n[a] / all, p[a] / n[a], c[a] / n[a]
    printf "%-24s %7d %7.1f%% %9.3f %13.3f\n", "all", all, 100, pa / all, ca / all
  }' "$results"
