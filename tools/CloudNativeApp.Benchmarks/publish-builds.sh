#!/usr/bin/env bash
# Publishes the app as the builds the benchmarks compare, into DIR/<build>/ (a build already there is reused):
#   aot  the documented publish (Release, linux-x64): Native AOT
#   r2r  the same with -p:PublishAot=false: self-contained, composite ReadyToRun (the deployed build before AOT)
#   fdd  framework-dependent (`dotnet publish -c Release`, run with `dotnet CloudNativeApp.dll`): the JIT with tiered PGO
#   bare the floor for Kestrel throughput: tools/CloudNativeApp.Benchmarks.BareApp published the same way as aot
# Prints each build's entry point on stdout (one line each, in the order given) and its size, zipped as deployed
# (`zip -qr`) and unzipped, on stderr.
#
#   tools/CloudNativeApp.Benchmarks/publish-builds.sh DIR [aot] [r2r] [fdd] [bare]    # default: aot r2r fdd
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$1"
shift
builds=("${@:-aot r2r fdd}")
mkdir -p "$dir"

for build in ${builds[*]}; do
  project="$root/src/CloudNativeApp"
  case "$build" in
    aot) args=(-r linux-x64) entry=bootstrap ;;
    r2r) args=(-r linux-x64 -p:PublishAot=false) entry=bootstrap ;;
    fdd) args=() entry=CloudNativeApp.dll ;;
    # The app finds a versioned clang itself (FindVersionedClang); this small project is told.
    bare) project="$root/tools/CloudNativeApp.Benchmarks.BareApp" entry=CloudNativeApp.Benchmarks.BareApp
      args=(-r linux-x64 $(command -v clang >/dev/null || compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -V | tail -1 | sed 's/^/-p:CppCompilerAndLinker=/')) ;;
    *) echo "Unknown build '$build' (aot, r2r, fdd, bare)" >&2; exit 2 ;;
  esac
  if [[ ! -e "$dir/$build/$entry" ]]; then
    # Build outputs go beside the publish (artifacts layout), so the repository's bin/obj are left alone.
    dotnet publish "$project" -c Release "${args[@]}" -o "$dir/$build" --artifacts-path "$dir/artifacts-$build" \
      -nologo -clp:NoSummary >"$dir/publish-$build.log" || { cat "$dir/publish-$build.log" >&2; exit 1; }
  fi
  rm -f "$dir/$build.zip"
  (cd "$dir/$build" && zip -qr "$dir/$build.zip" .)
  echo "$build: $(du -b "$dir/$build.zip" | awk '{printf "%.1f MB", $1/1e6}') zipped, $(du -sb "$dir/$build" | awk '{printf "%.1f MB", $1/1e6}') unzipped" >&2
  echo "$dir/$build/$entry"
done
