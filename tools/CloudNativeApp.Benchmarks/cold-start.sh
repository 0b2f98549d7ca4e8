#!/usr/bin/env bash
# Cold start of the deployed build against the builds it replaced, in one run: publish the app three ways
#   aot  the documented publish (Release, linux-x64): Native AOT
#   r2r  the same with -p:PublishAot=false: self-contained, composite ReadyToRun
#   fdd  framework-dependent (`dotnet publish -c Release`, started with `dotnet CloudNativeApp.dll`)
# then start each RUNS times per round (default 10), alternating between them, against a local Runtime API that
# already holds one HTTP API (v2) event for GET /calculator/add/1/2, timing process start -> response posted;
# each round also measures every build's peak RSS after INVOCATIONS (default 300) warm invocations. Prints every
# run, the medians with the ratios to the AOT build, and each build's zipped size (`zip -qr`, as deployed).
#
#   tools/CloudNativeApp.Benchmarks/cold-start.sh                        # publish, then 3 rounds x 10 runs
#   ROUNDS=1 RUNS=20 tools/CloudNativeApp.Benchmarks/cold-start.sh       # other counts
#   BUILDS="aot r2r" tools/CloudNativeApp.Benchmarks/cold-start.sh       # fewer builds
#   APP=/path/to/published/bootstrap tools/CloudNativeApp.Benchmarks/cold-start.sh   # one given build, no publishing
#   tools/CloudNativeApp.Benchmarks/cold-start.sh --env DOTNET_TieredPGO=0   # extra variables for the apps
#   tools/CloudNativeApp.Benchmarks/cold-start.sh --show-output --env Logging__LogLevel__Default=Debug   # phase timeline
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

publish() { # name, extra publish arguments...
  local name="$1"
  shift
  # Build outputs go to the temp folder (artifacts layout) so the repository's bin/obj are left alone.
  dotnet publish "$root/src/CloudNativeApp" -c Release "$@" -o "$work/$name" --artifacts-path "$work/artifacts-$name" \
    -nologo -clp:NoSummary >"$work/publish-$name.log" || { cat "$work/publish-$name.log"; exit 1; }
}

apps=()
if [[ -n "${APP:-}" ]]; then
  apps+=(--app "$APP")
else
  for build in ${BUILDS:-aot r2r fdd}; do
    case "$build" in
      aot) publish aot -r linux-x64 && apps+=(--app "$work/aot/bootstrap") ;;
      r2r) publish r2r -r linux-x64 -p:PublishAot=false && apps+=(--app "$work/r2r/bootstrap") ;;
      fdd) publish fdd && apps+=(--app "$work/fdd/CloudNativeApp.dll") ;;
      *) echo "Unknown build '$build' (aot, r2r, fdd)" >&2; exit 2 ;;
    esac
    echo "$build: $(cd "$work/$build" && zip -qr "$work/$build.zip" . && du -b "$work/$build.zip" | awk '{printf "%.1f MB zipped", $1/1e6}'), $(du -sb "$work/$build" | awk '{printf "%.1f MB", $1/1e6}') unzipped"
  done
fi

dotnet build -c Release "$root/tools/CloudNativeApp.Benchmarks" -nologo -clp:NoSummary -v:q >"$work/build.log" \
  || { cat "$work/build.log"; exit 1; }
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --no-build --project "$root/tools/CloudNativeApp.Benchmarks" -- cold-start "${apps[@]}" \
  --rounds "${ROUNDS:-3}" --runs "${RUNS:-10}" --invocations "${INVOCATIONS:-300}" "$@"
