#!/usr/bin/env bash
# Cold start of the deployed build against the builds it replaced, in one run: publish the app three ways
# (publish-builds.sh: aot = Native AOT as deployed, r2r = composite ReadyToRun, fdd = framework-dependent JIT),
# then start each RUNS times per round (default 10), alternating between them, against a local Runtime API that
# already holds one HTTP API (v2) event for GET /calculator/add/1/2, timing process start -> response posted;
# each round also measures every build's peak RSS after INVOCATIONS (default 300) warm invocations. Prints every
# run, the medians with the ratios to the AOT build, and each build's zipped size (`zip -qr`, as deployed).
#
#   tools/CloudNativeApp.Benchmarks/cold-start.sh                        # publish, then 3 rounds x 10 runs
#   ROUNDS=1 RUNS=20 tools/CloudNativeApp.Benchmarks/cold-start.sh       # other counts
#   BUILDS="aot r2r" tools/CloudNativeApp.Benchmarks/cold-start.sh       # fewer builds
#   BUILDS_DIR=/tmp/builds tools/CloudNativeApp.Benchmarks/cold-start.sh # keep (and reuse) the publishes
#   APP=/path/to/published/bootstrap tools/CloudNativeApp.Benchmarks/cold-start.sh   # one given build, no publishing
#   tools/CloudNativeApp.Benchmarks/cold-start.sh --env DOTNET_TieredPGO=0   # extra variables for the apps
#   tools/CloudNativeApp.Benchmarks/cold-start.sh --show-output --env Logging__LogLevel__Default=Debug   # phase timeline
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

apps=()
if [[ -n "${APP:-}" ]]; then
  apps+=(--app "$APP")
else
  # BUILDS_DIR keeps the publishes for the next run (and for kestrel-throughput.sh); each takes minutes.
  mapfile -t entries < <("$root/tools/CloudNativeApp.Benchmarks/publish-builds.sh" "${BUILDS_DIR:-$work/builds}" ${BUILDS:-aot r2r fdd})
  for entry in "${entries[@]}"; do apps+=(--app "$entry"); done
fi

dotnet build -c Release "$root/tools/CloudNativeApp.Benchmarks" -nologo -clp:NoSummary -v:q >"$work/build.log" \
  || { cat "$work/build.log"; exit 1; }
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --no-build --project "$root/tools/CloudNativeApp.Benchmarks" -- cold-start "${apps[@]}" \
  --rounds "${ROUNDS:-3}" --runs "${RUNS:-10}" --invocations "${INVOCATIONS:-300}" "$@"
