#!/usr/bin/env bash
# Steady-state throughput on Kestrel, builds side by side (publish-builds.sh: aot = Native AOT as deployed, r2r =
# composite ReadyToRun, fdd = framework-dependent JIT): each build in turn serves HTTP with the DynamoDB store on one
# shared dynalite, is warmed up, then loaded by autocannon (32 connections, DURATION seconds each, default 10) on
#   GET /calculator/add/1/2     the calculator: routing, binding, the JSON-free text result
#   GET /items/{id}             one item read from dynalite, with its ETag
# for ROUNDS rounds (default 3) alternating between the builds. Prints requests per second per build and route, and
# the medians with the ratios to the first build. The bare build (tools/CloudNativeApp.Benchmarks.BareApp, Native
# AOT: CreateSlimBuilder, one DynamoDBContext load, source-generated JSON) is the floor for GET /items/{id}: it reads
# the item the app build before it created, and the ratios app/bare close the output. Each line also gives the app
# process's CPU time per request (utime + stime from /proc around the measured load), which other processes on a
# shared machine inflate far less than requests per second. Needs `npm ci` (dynalite and autocannon from package.json).
#
#   tools/CloudNativeApp.Benchmarks/kestrel-throughput.sh
#   BUILDS="aot bare" ROUNDS=5 DURATION=20 tools/CloudNativeApp.Benchmarks/kestrel-throughput.sh
#   BUILDS_DIR=/tmp/builds tools/CloudNativeApp.Benchmarks/kestrel-throughput.sh   # reuse cold-start.sh's publishes
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # pid: user + system time, in clock ticks
wait_for() { # url
  for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "No answer from $1" >&2; return 1
}

mapfile -t entries < <("$root/tools/CloudNativeApp.Benchmarks/publish-builds.sh" "${BUILDS_DIR:-$work/builds}" ${BUILDS:-aot r2r fdd bare})

dynalite_port=$(free_port)
"$root/node_modules/.bin/dynalite" --host 127.0.0.1 --port "$dynalite_port" --createTableMs 0 >"$work/dynalite.log" 2>&1 &
pids+=($!)

echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A results cpu
for round in $(seq 1 "${ROUNDS:-3}"); do
  for entry in "${entries[@]}"; do
    build=$(basename "$(dirname "$entry")")
    port=$(free_port)
    command=("$entry")
    [[ "$entry" == *.dll ]] && command=(dotnet "$entry")
    # Production as deployed, except: Kestrel has no gateway identity (Auth:Mode None), and the rate limiter would
    # measure itself (RateLimiting:Enabled false).
    env ASPNETCORE_URLS="http://127.0.0.1:$port" Auth__Mode=None RateLimiting__Enabled=false \
      Items__Store=DynamoDB Items__TableName=throughput-items Items__CreateTable=true \
      AWS__ServiceURL="http://127.0.0.1:$dynalite_port" AWS__Region=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \
      Logging__LogLevel__Default=Warning "${command[@]}" >"$work/app-$build.log" 2>&1 &
    app=$!
    pids+=("$app")
    wait_for "http://127.0.0.1:$port/health/ready"
    if [[ "$build" == bare ]]; then
      [[ -n "${location:-}" ]] || { echo "The bare build reads the item an app build created: list an app build before it" >&2; exit 2; }
      routes=("$location")
    else
      location=$(curl -sf -D - -o /dev/null -H 'Content-Type: application/json' -d '{"name":"throughput","category":"bench","tags":["a","b"]}' \
        "http://127.0.0.1:$port/items" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
      routes=(/calculator/add/1/2 "$location")
    fi
    for route in "${routes[@]}"; do
      "$root/node_modules/.bin/autocannon" -c 32 -d 3 "http://127.0.0.1:$port$route" >/dev/null 2>&1 # warm-up
      cpu_before=$(cpu_ticks "$app")
      measured=$("$root/node_modules/.bin/autocannon" -c 32 -d "${DURATION:-10}" -j "http://127.0.0.1:$port$route" 2>/dev/null)
      cpu_after=$(cpu_ticks "$app")
      read -r rps cpu_per_request < <(python3 -c '
import json, sys
r = json.loads(sys.argv[1]); assert r["non2xx"] == 0 and r["errors"] == 0, r
print(round(r["requests"]["average"]), round((int(sys.argv[3]) - int(sys.argv[2])) / int(sys.argv[4]) / r["requests"]["total"] * 1e6))
' "$measured" "$cpu_before" "$cpu_after" "$(getconf CLK_TCK)")
      name=$([[ "$route" == /items/* ]] && echo "GET /items/{id}" || echo "GET $route")
      results["$build|$name"]+="$rps "
      cpu["$build|$name"]+="$cpu_per_request "
      echo "round $round $build: $name $rps req/s, app CPU $cpu_per_request µs/request"
    done
    kill "$app" && wait "$app" 2>/dev/null || true
  done
done

echo
echo "median requests/s over ${ROUNDS:-3} rounds [min-max], and the first build's median over this one's:"
first=$(basename "$(dirname "${entries[0]}")")
for name in "GET /calculator/add/1/2" "GET /items/{id}"; do
  for entry in "${entries[@]}"; do
    build=$(basename "$(dirname "$entry")")
    [[ -n "${results["$build|$name"]:-}" ]] || continue
    python3 - "$name" "$build" "$first" "${results["$build|$name"]}" "${results["$first|$name"]}" <<'PY'
import statistics, sys
name, build, first_build = sys.argv[1:4]
values, first = list(map(float, sys.argv[4].split())), list(map(float, sys.argv[5].split()))
median, base = statistics.median(values), statistics.median(first)
print(f"  {name:<24} {build}: {median:8.0f}  [{min(values):.0f}-{max(values):.0f}]  {first_build}/{build} = {base / median:.2f}")
PY
  done
done

if [[ -n "${results["bare|GET /items/{id}"]:-}" ]]; then
  echo
  echo "GET /items/{id}, each build's requests/s over the bare app's (medians; per round in brackets):"
  for entry in "${entries[@]}"; do
    build=$(basename "$(dirname "$entry")")
    [[ "$build" == bare ]] && continue
    python3 - "$build" "${results["$build|GET /items/{id}"]}" "${results["bare|GET /items/{id}"]}" "${cpu["$build|GET /items/{id}"]}" "${cpu["bare|GET /items/{id}"]}" <<'PY'
import statistics, sys
build = sys.argv[1]
app, bare, app_cpu, bare_cpu = (list(map(float, arg.split())) for arg in sys.argv[2:6])
rounds = " ".join(f"{a / b:.2f}" for a, b in zip(app, bare))
print(f"  {build}/bare = {statistics.median(app) / statistics.median(bare):.2f}  [{rounds}]; "
      f"CPU per request {statistics.median(app_cpu):.0f} vs {statistics.median(bare_cpu):.0f} µs ({statistics.median(app_cpu) / statistics.median(bare_cpu):.2f}×)")
PY
  done
fi
