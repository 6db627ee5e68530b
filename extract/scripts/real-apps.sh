#!/usr/bin/env bash
# Extracts the top route-owning candidate of flowise and unleash (and ghostfolio's) for real, from the
# corpora laid out by bench/truth (bench/.corpora/truth/<name>, pinned in bench/truth/corpora.ts), into
# a scratch folder; installs (needs the npm registry), builds, starts each service and asks /health and
# its route. Not part of the test suite. Usage: extract/scripts/real-apps.sh [corpora-dir] [work-dir]
set -u
here="$(cd "$(dirname "$0")/../.." && pwd)"
corpora="${1:-$here/bench/.corpora/truth}"
work="${2:-$(mktemp -d /tmp/strangler-real-XXXXXX)}"
cli="node $here/bin/strangler.js"
port=4390

try() { # name analyzed-dir
  local name="$1" dir="$2" out="$work/$1-service"
  echo "== $name ($dir)"
  $cli analyze "$corpora/$name/$dir" --out "$work/$name.json" --quiet || { echo "$name: analyze failed"; return; }
  local rank
  rank=$(node -e "const r=require('$work/$name.json'); console.log(r.candidates.find((c) => c.label === 'service').rank)")
  $cli extract "$rank" --report "$work/$name.json" --out "$out" --force > "$work/$name.plan.txt" 2> "$work/$name.err"
  local rc=$?
  echo "extract $rank: exit $rc"; head -8 "$work/$name.plan.txt"; cat "$work/$name.err"
  [ $rc -eq 0 ] || return
  (cd "$out" && npm install --no-audit --no-fund > "$work/$name.install.log" 2>&1) && echo "npm install: ok" || { echo "npm install: failed (see $work/$name.install.log)"; return; }
  (cd "$out" && npm run build > "$work/$name.build.log" 2>&1) && echo "npm run build: ok" || { echo "npm run build: failed"; tail -20 "$work/$name.build.log"; return; }
  port=$((port + 1))
  (cd "$out" && PORT=$port HOST=127.0.0.1 exec node dist/service/server.js > "$work/$name.log" 2>&1) &
  local pid=$!
  for _ in $(seq 50); do curl -s "127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
  echo "GET /health: $(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/health")"
  node -e "for (const r of require('$out/strangler.service.json').routes) console.log(r.method + ' ' + r.path)" | while read -r method route; do
    echo "$method $route: $(curl -s -o /dev/null -w '%{http_code}' -X "$method" "127.0.0.1:$port${route//:[a-zA-Z]*/x}")"
  done
  kill -TERM $pid; wait $pid; echo "SIGTERM: exit $?"
}

try flowise packages/server
try unleash src
try ghostfolio apps/api
echo "work: $work"
