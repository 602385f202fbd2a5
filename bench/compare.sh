#!/usr/bin/env bash
# Compares two netlens binaries, case by case, on this machine (the rule of the
# "netlens, simpler" issue: no bundled net more than 1 ms slower, scaling linear):
#   bench/compare.sh OLD_NETLENS NEW_NETLENS [--runs N]
# Cases: `netlens analyze NET` for every bundled net (NEW's `netlens list`), and
# `netlens analyze FILE` for generated nets (bench/gen_net.sh chain|resnet,
# yaml|json, 10^3, 10^4 and 10^5 layers). A case is a hyperfine -N run of
# both binaries, back to back (the first one alternates from run to run), N
# runs each (default 30; the 10^5-layer cases take min(N, 5)); a bundled net
# is four such rounds, and its time the median of their medians. Then one run
# of each under GNU time gives the peak RSS of the 10^5-layer cases.
# Markdown on stdout (machine, binaries, the tables), progress on stderr.
# Verdict for a bundled net: "ok" when new median - old median <= 1 ms. For a
# generated net, the median time per layer (us/layer, old -> new, startup
# included): equal at 10^4 and 10^5 means linear. Comparing a binary with
# itself (OLD = NEW) shows the noise of the machine.
# Needs Debian's hyperfine and time (GNU /usr/bin/time); exit 2 without them.
# Exit 1 when a case failed to run.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage="usage: bench/compare.sh OLD_NETLENS NEW_NETLENS [--runs N]"
die() { echo "compare.sh: $*" >&2; exit 2; }
log() { echo "compare: $*" >&2; }

runs=30
bins=()
while (($# > 0)); do
  case $1 in
    --runs)
      [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive whole number; $usage"
      runs=$2
      shift 2
      ;;
    --runs=*)
      runs=${1#--runs=}
      [[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive whole number; $usage"
      shift
      ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1'; $usage" ;;
    *) bins+=("$1"); shift ;;
  esac
done
((${#bins[@]} == 2)) || die "$usage"
old=${bins[0]} new=${bins[1]}
runs_big=$((runs < 5 ? runs : 5))

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
{ [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1; } || missing+=(time)
((${#missing[@]} == 0)) || die "missing ${missing[*]} (GNU /usr/bin/time is Debian's 'time'); install with: apt-get install -y ${missing[*]}"

for b in "$old" "$new"; do
  [[ -x $b && ! -d $b ]] || die "'$b' is not an executable file; $usage"
  "$b" --version >/dev/null 2>&1 || die "'$b --version' failed"
done
# Absolute paths: the header names exactly what was run.
old=$(cd "$(dirname "$old")" && pwd)/$(basename "$old")
new=$(cd "$(dirname "$new")" && pwd)/$(basename "$new")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/netlens-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mapfile -t nets < <("$new" list 2>/dev/null | awk 'NF { print $1 }')
((${#nets[@]} > 0)) || die "'$new list' printed no nets"
big=(--max-layers 2000000 --max-bytes 1000000000)
sizes=(1000 10000 100000)

failed=0
rows=()      # |-separated cells of the time table
rss_rows=()  # and of the peak RSS table
case_no=0

# median NAME: the median (ms) of the hyperfine result named NAME in $tmp/h.json.
median() {
  awk -v name="$1" '
    /"command":/ { cur = $0; sub(/^[^:]*: *"/, "", cur); sub(/".*$/, "", cur) }
    /"median":/ && cur == name { v = $0; sub(/^[^:]*: */, "", v); sub(/,.*$/, "", v); printf "%.3f", v * 1000; exit }
  ' "$tmp/h.json"
}

# compare_case LABEL RUNS ARGS...: one hyperfine run of `old ARGS` and `new
# ARGS`; sets OLD_MS and NEW_MS (medians), or returns 1.
compare_case() {
  local label=$1 n=$2
  shift 2
  local warmup=3
  ((n <= 5)) && warmup=1
  local cmd_old cmd_new
  cmd_old="${old@Q} ${*@Q}"
  cmd_new="${new@Q} ${*@Q}"
  # hyperfine gives the names (-n) to the commands in order.
  local -a names=(old new) cmds=("$cmd_old" "$cmd_new")
  if ((case_no++ % 2)); then names=(new old) cmds=("$cmd_new" "$cmd_old"); fi
  log "$label ($n runs each, ${names[0]} first)"
  if ! hyperfine -N --style none --warmup "$warmup" --runs "$n" --time-unit millisecond \
    --export-json "$tmp/h.json" -n "${names[0]}" -n "${names[1]}" \
    -- "${cmds[@]}" >"$tmp/h.log" 2>&1; then
    log "  FAILED: $(tail -n 3 "$tmp/h.log")"
    failed=1
    return 1
  fi
  OLD_MS=$(median old) NEW_MS=$(median new)
  [[ -n $OLD_MS && -n $NEW_MS ]] || { log "  FAILED: no medians in hyperfine's JSON"; failed=1; return 1; }
  log "  old $OLD_MS ms, new $NEW_MS ms"
}

fmt_ms() { awk -v x="$1" 'BEGIN { printf (x < 10 ? "%.2f" : x < 100 ? "%.1f" : "%.0f"), x }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN { d = b - a; printf "%+.2f", d }'; }

# median_of X...: the median of numbers (the mean of the middle two of an even count).
median_of() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'
}

# --- bundled nets ---------------------------------------------------------------
# Four rounds each, the order of the binaries alternating, and the median of
# the rounds' medians: on a shared VM one hyperfine run of a 3 ms process can
# be off by a millisecond either way (two identical binaries: up to 2.4 ms).
rounds=4
for net in "${nets[@]}"; do
  olds=() news=()
  for ((round = 0; round < rounds; round++)); do
    compare_case "$net" "$runs" analyze "$net" || break
    olds+=("$OLD_MS") news+=("$NEW_MS")
  done
  if ((${#olds[@]} == rounds)); then
    OLD_MS=$(median_of "${olds[@]}") NEW_MS=$(median_of "${news[@]}")
    verdict=$(awk -v a="$OLD_MS" -v b="$NEW_MS" 'BEGIN { d = b - a; print (d <= 1 ? "ok" : sprintf("SLOWER by %.2f ms", d)) }')
    rows+=("analyze $net|$rounds x $runs|$(fmt_ms "$OLD_MS")|$(fmt_ms "$NEW_MS")|$(delta "$OLD_MS" "$NEW_MS")|$verdict")
  else
    rows+=("analyze $net|$runs|failed|failed|-|FAILED")
  fi
done

# --- generated nets ---------------------------------------------------------------
# peak_kb BIN FILE: the peak RSS (KB) of one run.
peak_kb() {
  /usr/bin/time -f %M -o "$tmp/rss" "$1" analyze "$2" "${big[@]}" >/dev/null 2>"$tmp/rss.err" &&
    tail -n 1 "$tmp/rss"
}
for kind in chain resnet; do
  for format in yaml json; do
    for size in "${sizes[@]}"; do
      file=$tmp/$kind-$size.$format
      "$root/bench/gen_net.sh" "$kind" "$size" "$format" >"$file" || die "gen_net.sh $kind $size $format failed"
      label="$kind $size $format"
      n=$runs
      ((size >= 100000)) && n=$runs_big
      if compare_case "$label" "$n" analyze "$file" "${big[@]}"; then
        per_layer=$(awk -v a="$OLD_MS" -v b="$NEW_MS" -v n="$size" 'BEGIN { printf "%.2f -> %.2f us/layer", a * 1000 / n, b * 1000 / n }')
        rows+=("$label|$n|$(fmt_ms "$OLD_MS")|$(fmt_ms "$NEW_MS")|$(delta "$OLD_MS" "$NEW_MS")|$per_layer")
      else
        rows+=("$label|$n|failed|failed|-|FAILED")
      fi
      if ((size >= 100000)); then
        log "$label: peak RSS"
        rss_old=$(peak_kb "$old" "$file") || { rss_old=failed; failed=1; }
        rss_new=$(peak_kb "$new" "$file") || { rss_new=failed; failed=1; }
        if [[ $rss_old != failed && $rss_new != failed ]]; then
          rss_rows+=("$label|$(awk -v k="$rss_old" 'BEGIN { printf "%.1f", k / 1024 }')|$(awk -v k="$rss_new" 'BEGIN { printf "%.1f", k / 1024 }')|$(awk -v a="$rss_old" -v b="$rss_new" 'BEGIN { d = (b - a) / 1024; printf (d < 0.05 && d > -0.05 ? "0.0" : "%+.1f"), d }')")
        else
          rss_rows+=("$label|$rss_old|$rss_new|-")
        fi
      fi
      rm -f "$file"
    done
  done
done

# --- the report -------------------------------------------------------------------
# table: rows of '|'-separated cells on stdin, the first is the header; an
# aligned Markdown table, numeric columns right-aligned.
table() { awk -F'|' -f "$root/bench/markdown_table.awk"; }
describe() { echo "\`$1\`, $("$1" --version 2>&1 | head -n 1), sha256 $(sha256sum "$1" | cut -c1-12)"; }

echo "# netlens: old vs new"
echo
echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- old: $(describe "$old")"
echo "- new: $(describe "$new")"
echo "- $(hyperfine --version) -N, both binaries in one hyperfine run per case (bundled nets: the median of 4 such rounds); median wall times"
echo
{
  echo "case|runs|old median ms|new median ms|delta ms|verdict"
  printf '%s\n' "${rows[@]}"
} | table
echo
echo "Verdict: ok when new - old <= 1 ms (bundled nets, \`netlens analyze NET\`). Generated nets"
echo "(bench/gen_net.sh, \`netlens analyze FILE --max-layers 2000000 --max-bytes 1000000000\`):"
echo "median time per layer, old -> new. Startup is included, which inflates the 10^3 rows;"
echo "linear scaling shows as the 10^4 and 10^5 rows agreeing."
echo
echo "Peak RSS of the 10^5-layer cases (GNU time %M, one run each):"
echo
{
  echo "case|old peak MB|new peak MB|delta MB"
  printf '%s\n' "${rss_rows[@]}"
} | table

if ((failed)); then
  echo "compare.sh: some cases failed (see above)" >&2
  exit 1
fi
exit 0
