#!/usr/bin/env bash
# The cluster check (SPEC §8.2): a sweep split over a real Slurm job array equals the sweep of
# one process, byte for byte.
#
#   scripts/slurm-check.sh [OPTCLOUD]    OPTCLOUD defaults to .build/release/optcloud
#
# Starts the single-node Slurm of scripts/slurm-local.sh (installing it when missing), submits
# `optcloud sweep … --shard auto` as `sbatch --array=0-1 --wait` (one CPU per task), collects,
# and compares sweep.csv and every point's summary-free outputs with a local unsharded sweep.
# Prints `slurm-check: passed` or the first difference, and exits 0 or 1.
set -euo pipefail
cd "$(dirname "$0")/.."
optcloud=$(realpath "${1:-.build/release/optcloud}")
[ -x "$optcloud" ] || { echo "slurm-check: no optcloud at $optcloud (run make build first)" >&2; exit 2; }
work=$(mktemp -d /tmp/optcloud-slurm.XXXXXX)
trap 'scripts/slurm-local.sh stop "$work/slurm" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
eval "$(scripts/slurm-local.sh start "$work/slurm")"

config=$(realpath configs/sweeps/sgd-lr.yaml)
small=(--chains 256 --set steps=600 --set burn_in=200)
"$optcloud" sweep "$config" "${small[@]}" --out "$work/local" --quiet
sbatch --wait --array=0-1 --cpus-per-task=1 --output="$work/task-%a.log" --chdir="$work" \
  --wrap "'$optcloud' sweep '$config' ${small[*]} --out '$work/sharded' --shard auto --quiet" >/dev/null \
  || { echo "slurm-check: the array job failed:" >&2; cat "$work"/task-*.log >&2; exit 1; }
grep -q . "$work"/task-*.log 2>/dev/null && { echo "slurm-check: a task printed:" >&2; cat "$work"/task-*.log >&2; }
"$optcloud" sweep "$config" "${small[@]}" --out "$work/sharded" --collect --quiet
for file in sweep.csv; do
  cmp "$work/local/$file" "$work/sharded/$file" || { echo "slurm-check: $file differs" >&2; exit 1; }
done
for point in "$work"/local/points/*; do
  p=$(basename "$point")
  for file in "$point"/*.csv "$point"/*.npy; do
    [ -e "$file" ] || continue
    cmp "$file" "$work/sharded/points/$p/$(basename "$file")" || { echo "slurm-check: point $p: $(basename "$file") differs" >&2; exit 1; }
  done
done
echo "slurm-check: passed (sweep of $(ls "$work/local/points" | wc -l) points in 2 Slurm array tasks equals one process's)"
