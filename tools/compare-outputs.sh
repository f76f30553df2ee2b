#!/usr/bin/env bash
# Runs every shipped config (configs/*.yaml with `run`, configs/sweeps/*.yaml with `sweep`)
# with two optcloud binaries and compares the output directories file by file: every file
# byte-identical, except the timing lines of JSON files ("wall_seconds", "seconds"), which
# are dropped before comparing. Prints one line per config and a total; exit status 1 when
# anything differs.
#
#   tools/compare-outputs.sh OLD_BINARY NEW_BINARY [WORK_DIR] [extra run options …]
#
# e.g. tools/compare-outputs.sh /tmp/base/.build/release/optcloud .build/release/optcloud /tmp/cmp --threads 2
set -uo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); work=${3:-/tmp/optcloud-compare}; shift 3 || shift $#
cd "$(dirname "$0")/.."
rm -rf "$work"; mkdir -p "$work"
timing='^[[:space:]]*"(wall_seconds|seconds)":'
differ=0; compared=0
compare_dirs() { # name dirA dirB
    local name=$1 a=$2 b=$3 bad=0 files
    files=$( (cd "$a" && find . -type f; cd "$b" && find . -type f) | sort -u)
    for f in $files; do
        if [ ! -f "$a/$f" ] || [ ! -f "$b/$f" ]; then echo "  $name: $f only in one output"; bad=1; continue; fi
        compared=$((compared + 1))
        case "$f" in
            *.json) cmp -s <(grep -Ev "$timing" "$a/$f") <(grep -Ev "$timing" "$b/$f") || { echo "  $name: $f differs"; bad=1; } ;;
            *) cmp -s "$a/$f" "$b/$f" || { echo "  $name: $f differs"; bad=1; } ;;
        esac
    done
    if [ $bad = 0 ]; then echo "identical  $name ($(cd "$a" && find . -type f | wc -l) files)"; else echo "DIFFERENT  $name"; differ=1; fi
}
for config in configs/*.yaml; do
    name=$(basename "$config" .yaml)
    for side in old new; do
        binary=$old; [ $side = new ] && binary=$new
        "$binary" run "$config" --out "$work/$side/$name" --force --quiet "$@" >"$work/$side-$name.log" 2>&1
        echo "exit $?" >>"$work/$side-$name.log"
    done
    cmp -s <(tail -1 "$work/old-$name.log") <(tail -1 "$work/new-$name.log") || { echo "  $name: exit status differs"; differ=1; }
    compare_dirs "$name" "$work/old/$name" "$work/new/$name"
done
for config in configs/sweeps/*.yaml; do
    name=sweep-$(basename "$config" .yaml)
    for side in old new; do
        binary=$old; [ $side = new ] && binary=$new
        "$binary" sweep "$config" --out "$work/$side/$name" --quiet "$@" >"$work/$side-$name.log" 2>&1
        echo "exit $?" >>"$work/$side-$name.log"
    done
    cmp -s <(tail -1 "$work/old-$name.log") <(tail -1 "$work/new-$name.log") || { echo "  $name: exit status differs"; differ=1; }
    compare_dirs "$name" "$work/old/$name" "$work/new/$name"
done
echo "files compared: $compared; $([ $differ = 0 ] && echo "all identical" || echo "DIFFERENCES FOUND")"
exit $differ
