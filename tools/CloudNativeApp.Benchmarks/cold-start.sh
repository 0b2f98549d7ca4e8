#!/usr/bin/env bash
# Cold start of the Lambda build: publish the app as it is deployed (Release, linux-x64, self-contained,
# ReadyToRun), then start it RUNS times (default 10) against a local Runtime API that already holds one
# HTTP API (v2) event for GET /calculator/add/1/2, timing process start -> response posted. Prints every run
# (split into init = start -> first /next, and the first invocation) and the median.
#
#   tools/CloudNativeApp.Benchmarks/cold-start.sh                 # publish, then 10 runs
#   RUNS=20 tools/CloudNativeApp.Benchmarks/cold-start.sh         # more runs
#   APP=/path/to/published/bootstrap tools/CloudNativeApp.Benchmarks/cold-start.sh   # skip publishing
#   tools/CloudNativeApp.Benchmarks/cold-start.sh --env DOTNET_TieredPGO=0   # extra variables for the app
#   tools/CloudNativeApp.Benchmarks/cold-start.sh --show-output --env Logging__LogLevel__Default=Debug   # phase timeline
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

app="${APP:-}"
if [[ -z "$app" ]]; then
  # Build outputs go to the temp folder (artifacts layout) so the repository's bin/obj are left alone.
  dotnet publish "$root/src/CloudNativeApp" -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true \
    -o "$work/app" -p:UseArtifactsOutput=true -p:ArtifactsPath="$work/artifacts" -nologo -clp:NoSummary >"$work/publish.log" \
    || { cat "$work/publish.log"; exit 1; }
  app="$work/app/bootstrap"
fi

dotnet build -c Release "$root/tools/CloudNativeApp.Benchmarks" -nologo -clp:NoSummary -v:q >"$work/build.log" \
  || { cat "$work/build.log"; exit 1; }
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --no-build --project "$root/tools/CloudNativeApp.Benchmarks" -- cold-start --app "$app" --runs "${RUNS:-10}" "$@"
