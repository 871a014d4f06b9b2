#!/usr/bin/env bash
# Regenerates the run figures the README quotes (section "Figures", row `./galapagos run --task
# cant-be-late`, and the quick start): runs that exact command, with the default seed and settings,
# and prints its summary table and how long it took.
#
# With the offline engine the same seed gives the same run (README, "Same seed, same run"), so the
# TRAIN/TEST scores printed here are the figures to copy; only the wall time depends on the machine.
# The script checks that by running the command twice and comparing the two summary tables.
#
# Usage: deploy/figures.sh [--once]     (--once: a single run, no reproducibility check)
# Needs: the jail (bubblewrap) the sandbox uses; builds the application on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
once=false
case "${1:-}" in
  --once) once=true ;;
  "") ;;
  *) echo "usage: deploy/figures.sh [--once]" >&2; exit 2 ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# one run of the README's command into its own folder; prints the wall time in seconds
run() {
  local out="$work/$1"
  local start end
  start=$(date +%s.%N)
  "$here/galapagos" run --task cant-be-late --out "$out" > "$work/$1.txt" 2> "$work/$1.err" || {
    echo "figures: the run failed; its error output:" >&2; cat "$work/$1.err" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

# the summary table: from its header line ("program (...)  TRAIN  TEST") to the line before the totals
table() {
  awk '/^program \(/ { on = 1 } on && /candidates evaluated/ { exit } on' "$work/$1.txt" | sed '/^$/d'
}

"$here/galapagos" tasks > /dev/null # build first, so the wall time below is the run's alone
echo "command: ./galapagos run --task cant-be-late   (default seed, iterations and islands)"
wall=$(run first)
if [ -z "$(table first)" ]; then
  # the summary's format changed: show all of it rather than compare nothing
  cat "$work/first.txt"
  echo "figures: no summary table found (a line starting 'program (' was expected); update table() above" >&2
  exit 1
fi
table first
grep -m1 'candidates evaluated' "$work/first.txt" || true
echo "wall time: ${wall} s (this machine, after the build)"
if [ "$once" = false ]; then
  run second > /dev/null
  if diff <(table first) <(table second) > /dev/null; then
    echo "reproducible: a second run with the same seed printed the same table"
  else
    echo "NOT reproducible: a second run with the same seed printed another table:" >&2
    diff <(table first) <(table second) >&2 || true
    exit 1
  fi
fi
