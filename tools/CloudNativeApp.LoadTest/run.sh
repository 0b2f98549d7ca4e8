#!/usr/bin/env bash
# The long load test: dynalite on disk and the app on Kestrel (both on loopback, free ports), 16 clients for 60 s,
# then the same with dynalite SIGKILLed a third of the way in and restarted on the same data 5 s later, then with
# dynalite frozen (SIGSTOP) for 5 s instead, so only the app's timeout turns the hang into 503s.
# Extra arguments go to both runs, e.g.: tools/CloudNativeApp.LoadTest/run.sh --seconds 120 --clients 32
# Exit code 0 only if both runs passed (no lost acknowledged write, no unexpected error, fast 503s, full recovery).
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -x node_modules/.bin/dynalite ] || npm ci --no-audit --no-fund
dotnet build -c Release tools/CloudNativeApp.LoadTest -v quiet -nologo

run() { dotnet run -c Release --no-build --project tools/CloudNativeApp.LoadTest -- "$@"; }

status=0
echo "== steady load =="
run --seconds 60 --clients 16 "$@" || status=1
echo
echo "== fault injection: dynalite killed and restarted mid-run =="
run --seconds 60 --clients 16 --fault "$@" || status=1
echo
echo "== fault injection: dynalite frozen and continued mid-run =="
run --seconds 60 --clients 16 --freeze "$@" || status=1
exit $status
