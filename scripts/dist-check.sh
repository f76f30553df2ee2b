#!/usr/bin/env bash
# Checks `make dist`: the tarball's binary links no Swift runtime (ldd lists only GSL, the
# C/C++ runtime and the loader) and runs a config from the tarball on its own.
#
#   scripts/dist-check.sh        builds with make dist (static Swift standard library)
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory dist >/dev/null
tarball=$(ls -t dist/optcloud-*.tar.gz | head -1)
work=$(mktemp -d /tmp/optcloud-dist.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
root=$(echo "$work"/optcloud-*)
links=$(ldd "$root/bin/optcloud")
allowed='^(linux-vdso\.so|libgsl\.so|libgslcblas\.so|libm\.so|libc\.so|libstdc\+\+\.so|libgcc_s\.so|libpthread\.so|libdl\.so|librt\.so|/lib64/ld-linux|/lib/ld-linux)'
unexpected=$(echo "$links" | awk '{print $1}' | grep -Ev "$allowed" || true)
if [ -n "$unexpected" ] || echo "$links" | grep -q "not found"; then
  echo "dist-check: the binary links more than GSL and the C/C++ runtime:" >&2
  echo "$links" >&2
  exit 1
fi
(cd "$root" && bin/optcloud run configs/quickstart.yaml --chains 64 --out "$work/run" --quiet)
[ -s "$work/run/summary.json" ] || { echo "dist-check: the run wrote no summary.json" >&2; exit 1; }
echo "dist-check: passed ($(basename "$tarball"), $(du -h "$tarball" | cut -f1); links $(echo "$links" | awk '{print $1}' | tr '\n' ' '))"
