#!/usr/bin/env bash
# netlens' benchmark harness (issue #6). One command, one Markdown table on
# stdout (progress goes to stderr), ready for docs/performance.md:
#   scripts/bench.sh                the full suite (~10 min on 2 cores): builds
#                                   build-bench/ if needed. Startup baselines,
#                                   `netlens analyze NET` on every bundled net
#                                   (`netlens list`), generated nets of 10^3,
#                                   10^4 and 10^5 layers, the targets
#   scripts/bench.sh --quick        the same nets and sizes with fewer runs
#                                   (and no 10^5 micro benchmarks)
#   scripts/bench.sh --smoke        the CI check (seconds): a few cases against
#                                   the budgets of bench/smoke-budgets.txt; exit 1
#                                   when one is over. Needs only bash, coreutils
#                                   and awk, and a Release build: $NETLENS or
#                                   build/src/netlens
#   scripts/bench.sh --smoke --calibrate
#                                   measure the smoke cases and print a new
#                                   bench/smoke-budgets.txt (10x the times) on stdout
#                                   ($NETLENS_SMOKE_BUDGETS: another budgets file)
# The full run needs Debian's hyperfine, time (GNU /usr/bin/time),
# libbenchmark-dev and python3; python3-torch and python3-torchvision for the
# PyTorch baseline (skipped without them). To compare two builds case by case:
# bench/compare.sh OLD_NETLENS NEW_NETLENS.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

mode=full
calibrate=0
for arg in "$@"; do
  case $arg in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --calibrate) calibrate=1 ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option '$arg' (--quick, --smoke, --smoke --calibrate)" >&2; exit 2 ;;
  esac
done
if [[ $calibrate == 1 && $mode != smoke ]]; then
  echo "bench.sh: --calibrate goes with --smoke" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/netlens-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log() { echo "bench: $*" >&2; }
die() { echo "bench.sh: $*" >&2; exit 2; }

# Microseconds since the epoch: bash's EPOCHREALTIME, digits only (its decimal
# separator depends on the locale). Read inline, no subshell:
#   t0=${EPOCHREALTIME//[!0-9]/}

# ---------------------------------------------------------------------------
# --smoke: bash + coreutils (+ awk for gen_net.sh) only.
# ---------------------------------------------------------------------------
budgets_file=${NETLENS_SMOKE_BUDGETS:-$root/bench/smoke-budgets.txt}

# smoke_case NAME RUNS CMD...: the median wall time (ms) of up to RUNS runs
# (no new run once the case has taken 2 s; at least one), each under
# `timeout`; checks it against the budget unless calibrating.
smoke_failed=0
declare -A smoke_budget=()
declare -a smoke_results=()
smoke_case() {
  local name=$1 runs=$2
  shift 2
  local budget=${smoke_budget[$name]:-}
  if [[ $calibrate == 0 && -z $budget ]]; then
    echo "FAIL $name: no budget in ${budgets_file#"$root"/}" >&2
    smoke_failed=1
    return
  fi
  # A run is stopped at 3x the budget (at least 2 s): a regression cannot hang CI.
  local limit_ms=60000
  if [[ $calibrate == 0 ]]; then
    limit_ms=$((budget * 3 > 2000 ? budget * 3 : 2000))
  fi
  local limit_s
  limit_s=$(printf '%d.%03d' $((limit_ms / 1000)) $((limit_ms % 1000)))
  local -a times=()
  local i t0 t1 rc case_start
  case_start=${EPOCHREALTIME//[!0-9]/}
  for ((i = 0; i < runs; i++)); do
    ((i > 0 && ${EPOCHREALTIME//[!0-9]/} - case_start > 2000000)) && break
    t0=${EPOCHREALTIME//[!0-9]/}
    timeout "$limit_s" "$@" >/dev/null 2>"$tmp/smoke.err"
    rc=$?
    t1=${EPOCHREALTIME//[!0-9]/}
    if [[ $rc == 124 ]]; then
      echo "FAIL $name: timed out after ${limit_ms} ms (budget ${budget:-none} ms)" >&2
      smoke_failed=1
      return
    elif [[ $rc != 0 ]]; then
      echo "FAIL $name: exit status $rc: $(head -c 300 "$tmp/smoke.err")" >&2
      smoke_failed=1
      return
    fi
    times+=($((t1 - t0)))
  done
  runs=${#times[@]}
  local median_us
  median_us=$(printf '%s\n' "${times[@]}" | sort -n | head -n $(((runs + 1) / 2)) | tail -n 1)
  local ms
  ms=$(printf '%d.%01d' $((median_us / 1000)) $((median_us % 1000 / 100)))
  if [[ $calibrate == 1 ]]; then
    local new=$(((median_us * 10 + 999) / 1000))
    ((new < 10)) && new=10
    smoke_results+=("$name $new $ms")
    echo "  $name: median of $runs: $ms ms -> budget $new ms" >&2
  elif ((median_us > budget * 1000)); then
    echo "FAIL $name: median of $runs runs ${ms} ms > budget ${budget} ms (${budgets_file#"$root"/})" >&2
    smoke_failed=1
  else
    printf '  ok   %-22s %9s ms   (budget %s ms, median of %d)\n' "$name" "$ms" "$budget" "$runs" >&2
  fi
}

run_smoke() {
  local netlens=${NETLENS:-$root/build/src/netlens}
  [[ -x $netlens ]] || die "no netlens binary at $netlens (build it, or set NETLENS=path)"
  if [[ $calibrate == 0 ]]; then
    [[ -r $budgets_file ]] || die "no $budgets_file"
    local name budget rest
    while read -r name budget rest; do
      [[ -z $name || $name == \#* ]] && continue
      [[ $budget =~ ^[0-9]+$ ]] || die "bench/smoke-budgets.txt: '$name': budget '$budget' is not a whole number of ms"
      smoke_budget[$name]=$budget
    done <"$budgets_file"
  fi
  local start
  start=${EPOCHREALTIME//[!0-9]/}
  local big=(--max-layers 2000000 --max-bytes 1000000000)
  "$root/bench/gen_net.sh" chain 100000 json >"$tmp/chain-1e5.json" || die "gen_net.sh failed"
  "$root/bench/gen_net.sh" resnet 100000 yaml >"$tmp/resnet-1e5.yaml" || die "gen_net.sh failed"
  log "smoke: $netlens"
  smoke_case analyze_vgg16 21 "$netlens" analyze vgg16
  smoke_case analyze_vgg16_json 21 "$netlens" analyze vgg16 --format json
  smoke_case chain_1e5_json 3 "$netlens" analyze "$tmp/chain-1e5.json" "${big[@]}"
  smoke_case resnet_1e5_yaml 3 "$netlens" analyze "$tmp/resnet-1e5.yaml" "${big[@]}"
  smoke_case inception_v3_regions 5 "$netlens" analyze inception_v3 --regions --format json
  smoke_case sizes_resnet152 3 "$netlens" sizes resnet152 --axis h --range 1..4096
  local total_ms=$(((${EPOCHREALTIME//[!0-9]/} - start) / 1000))
  if [[ $calibrate == 1 ]]; then
    cat <<EOF
# Budgets of \`scripts/bench.sh --smoke\` (CI): case, budget in ms (the median
# wall time of the case's runs must stay under it), comment. About 10x the
# times measured on the reference machine, so that only a ~10x regression
# fails. To recalibrate on a quiet machine with a Release build:
#   NETLENS=build/src/netlens scripts/bench.sh --smoke --calibrate > bench/smoke-budgets.txt
# Calibrated $(date -u +%Y-%m-%d) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?').
EOF
    local r
    for r in "${smoke_results[@]}"; do
      read -r name budget measured <<<"$r"
      printf '%-22s %6s   # measured %s ms\n' "$name" "$budget" "$measured"
    done
    log "smoke calibration took ${total_ms} ms"
    exit 0
  fi
  if [[ $smoke_failed == 1 ]]; then
    echo "bench smoke: FAILED (${total_ms} ms)" >&2
    exit 1
  fi
  echo "bench smoke: all cases within budget (${total_ms} ms)" >&2
  exit 0
}

[[ $mode == smoke ]] && run_smoke

# ---------------------------------------------------------------------------
# The full and --quick runs.
# ---------------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
{ [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1; } || missing+=(time)
command -v cmake >/dev/null || missing+=(cmake)
[[ -e /usr/include/benchmark/benchmark.h ]] || missing+=(libbenchmark-dev)
if ((${#missing[@]} > 0)); then
  die "missing tools; install them with: apt-get install -y ${missing[*]}"
fi
python=${PYTHON:-$(command -v python3 || true)}
torch_python=
if [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import torch, torchvision' >/dev/null 2>&1; then
  torch_python=/usr/bin/python3
fi

build=$root/build-bench
if [[ ! -f $build/CMakeCache.txt ]]; then
  log "configuring $build (Release, NETLENS_BENCH=ON)"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNETLENS_BENCH=ON \
    -DNETLENS_BUILD_TESTS=OFF >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log" >&2; die "cmake failed"; }
fi
log "building $build"
cmake --build "$build" -j"$(nproc)" \
  >"$tmp/build.log" 2>&1 || { tail -n 40 "$tmp/build.log" >&2; die "build failed"; }
netlens=$build/src/netlens
trivial=$build/bench/netlens_trivial
micro=$build/bench/netlens_bench

sizes=(1000 10000 100000)
if [[ $mode == quick ]]; then
  runs_fast=10 runs_slow=3 runs_py=1 limit_big=30 seed_chains=(1000)
  micro_args=(--benchmark_min_time=0.05 --benchmark_filter=-/100000)
else
  runs_fast=30 runs_slow=5 runs_py=3 limit_big=60
  seed_chains=(1000 10000)
  micro_args=(--benchmark_min_time=0.3)
fi
big=(--max-layers 2000000 --max-bytes 1000000000)

# measure KEY RUNS LIMIT_S CMD...: WALL[KEY] (median ms) and RSS[KEY] (peak
# KB). One run under GNU time and `timeout` gives the peak memory (and the
# time when RUNS is 1); then hyperfine takes the median of RUNS runs.
declare -A WALL=() MIN=() RSS=() RUNS=()
measure() {
  local key=$1 runs=$2 limit=$3
  shift 3
  log "$key"
  local t0 t1 rc
  t0=${EPOCHREALTIME//[!0-9]/}
  /usr/bin/time -f %M -o "$tmp/rss" timeout "$limit" "$@" >/dev/null 2>"$tmp/err"
  rc=$?
  t1=${EPOCHREALTIME//[!0-9]/}
  RUNS[$key]=$runs
  if [[ $rc == 124 ]]; then
    WALL[$key]=timeout MIN[$key]=timeout RSS[$key]=n/a RUNS[$key]="1 (>${limit} s)"
    return
  elif [[ $rc != 0 ]]; then
    log "  failed (exit $rc): $(head -c 300 "$tmp/err")"
    WALL[$key]=failed MIN[$key]=failed RSS[$key]=n/a
    return
  fi
  RSS[$key]=$(tail -n 1 "$tmp/rss")
  if ((runs <= 1)); then
    WALL[$key]=$(awk -v us=$((t1 - t0)) 'BEGIN { printf "%.3f", us / 1000 }')
    MIN[$key]=${WALL[$key]}
    return
  fi
  local warmup=1
  ((runs < 5)) && warmup=0
  if ! hyperfine -N --style none --warmup "$warmup" --runs "$runs" --time-unit millisecond \
    --export-json "$tmp/h.json" -- "${*@Q}" >"$tmp/h.log" 2>&1; then
    log "  hyperfine failed: $(tail -n 3 "$tmp/h.log")"
    WALL[$key]=failed MIN[$key]=failed
    return
  fi
  WALL[$key]=$(awk -F: '/"median"/ { gsub(/[ ,]/, "", $2); printf "%.3f", $2 * 1000; exit }' "$tmp/h.json")
  MIN[$key]=$(awk -F: '/"min"/ { gsub(/[ ,]/, "", $2); printf "%.3f", $2 * 1000; exit }' "$tmp/h.json")
}

# Formatting helpers (awk does the floating point).
isnum() { [[ $1 =~ ^[0-9.]+$ ]]; }
fmt_ms() { isnum "$1" && awk -v x="$1" 'BEGIN { printf (x < 10 ? "%.2f" : x < 100 ? "%.1f" : "%.0f"), x }' || echo "$1"; }
fmt_mb() { isnum "$1" && awk -v x="$1" 'BEGIN { printf "%.1f", x / 1024 }' || echo "$1"; }
ratio() { isnum "$1" && isnum "$2" && awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; printf (r < 10 ? "%.2fx" : "%.0fx"), r }' || echo n/a; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# table: rows of '|'-separated cells on stdin, the first is the header; prints
# an aligned Markdown table. A column whose cells are mostly numbers is
# right-aligned, the others left-aligned.
table() { awk -F'|' -f "$root/bench/markdown_table.awk"; }

# --- measurements -----------------------------------------------------------
# Every bundled net in the table format; a few also in JSON. The seed's script
# knows only some of them.
bundled=$("$netlens" list 2>/dev/null | awk '{ print $1 }')
mapfile -t nets <<<"$bundled"
[[ -n ${nets[0]:-} ]] || die "'$netlens list' printed no nets"
json_nets=() seed_nets=()
for n in alexnet vgg16 resnet50; do
  grep -qx "$n" <<<"$bundled" && json_nets+=("$n") && seed_nets+=("$n")
done
# formats_of NET: the formats measured for NET.
formats_of() { if printf '%s\n' "${json_nets[@]}" | grep -qx "$1"; then echo table json; else echo table; fi; }

measure true "$runs_fast" 10 /bin/true
measure trivial "$runs_fast" 10 "$trivial"
for n in "${nets[@]}"; do
  for f in $(formats_of "$n"); do
    measure "netlens/$n/$f" "$runs_fast" 30 "$netlens" analyze "$n" --format "$f"
  done
done

if [[ -n $python ]]; then
  for n in "${seed_nets[@]}"; do
    measure "seed/$n" "$runs_slow" 30 "$python" "$root/bench/seed_rf.py" "$n"
  done
fi
if [[ -n $torch_python ]]; then
  for n in vgg16 resnet50; do
    measure "torch/$n" "$runs_py" 300 "$torch_python" "$root/bench/torch_walk.py" "$n"
  done
fi

for kind in chain resnet; do
  for format in yaml json; do
    for size in "${sizes[@]}"; do
      file=$tmp/$kind-$size.$format
      "$root/bench/gen_net.sh" "$kind" "$size" "$format" >"$file" || die "gen_net.sh failed"
      measure "scale/$kind/$format/$size" "$runs_slow" "$limit_big" "$netlens" analyze "$file" "${big[@]}"
      rm -f "$file"
    done
  done
done
if [[ -n $python ]]; then
  for size in "${seed_chains[@]}"; do
    runs=$runs_slow
    ((size >= 10000)) && runs=1
    measure "seed/chain/$size" "$runs" "$limit_big" "$python" "$root/bench/seed_rf.py" --chain "$size"
  done
fi

# ONNX (issue 16, item 11): torchvision's resnet50 exported with its weights
# (98 MB), read by netlens and by onnx's own shape inference.
onnx_file=$tmp/resnet50.onnx
if [[ -n $torch_python ]] && "$torch_python" -c 'import onnx' 2>/dev/null &&
  "$torch_python" "$root/bench/export_onnx.py" resnet50 "$onnx_file" 2>"$tmp/export.err"; then
  measure onnx/netlens "$runs_fast" 60 "$netlens" analyze "$onnx_file"
  measure onnx/python "$runs_py" 300 "$torch_python" -c \
    "import onnx, sys; onnx.shape_inference.infer_shapes(onnx.load(sys.argv[1]))" "$onnx_file"
else
  log "ONNX: skipped (needs python3-torch, python3-torchvision, python3-onnx)"
  onnx_file=
fi

# netlens sizes (issue 17): every size 1..4096 of one axis of resnet152.
measure sizes/resnet152 "$runs_slow" 30 "$netlens" sizes resnet152 --axis h --range 1..4096

if grep -qx inception_v3 <<<"$bundled"; then
  measure regions/inception_v3 "$runs_fast" 30 "$netlens" analyze inception_v3 --regions --format json
fi
if grep -qx resnet50 <<<"$bundled"; then
  measure erf/resnet50 "$runs_fast" 30 "$netlens" locate resnet50 --layer layer4.2.conv3 --unit 3,3 --erf -f json
fi

log "netlens_bench ${micro_args[*]}"
"$micro" --benchmark_format=json "${micro_args[@]}" >"$tmp/micro.json" 2>"$tmp/micro.err" ||
  log "netlens_bench failed: $(tail -n 3 "$tmp/micro.err")"
# One line per benchmark: name real_time cpu_time unit iterations per_layer(s, or -)
awk -F': ' '
  /"name":/ { gsub(/[",]/, "", $2); name = $2; pl = "-" }
  /"iterations":/ { gsub(/,/, "", $2); it = $2 }
  /"real_time":/ { gsub(/,/, "", $2); real = sprintf("%.6f", $2) }
  /"cpu_time":/ { gsub(/,/, "", $2); cpu = sprintf("%.6f", $2) }
  /"time_unit":/ { gsub(/[",]/, "", $2); unit = $2 }
  /"per_layer":/ { gsub(/,/, "", $2); pl = $2 }
  /^    }/ && name != "" { print name, real, cpu, unit, it, pl; name = "" }
' "$tmp/micro.json" >"$tmp/micro.txt"
micro_get() { awk -v n="$1" -v f="$2" '$1 == n { print $f; exit }' "$tmp/micro.txt"; }

# --- the report ---------------------------------------------------------------
cxx=$(awk -F= '/^CMAKE_CXX_COMPILER:/ { print $2 }' "$build/CMakeCache.txt")
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$root" diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src/ modified)"
echo "# netlens benchmark ($mode run)"
echo
{
  echo "machine|"
  echo "CPU|$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores|$(nproc) (load average at the start: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "RAM|$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
  echo "OS|$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null), kernel $(uname -r)"
  echo "compiler|$("$cxx" --version | head -n 1), Release"
  echo "netlens|commit $commit, $(git -C "$root" rev-parse --abbrev-ref HEAD 2>/dev/null)"
  echo "tools|$(hyperfine --version), GNU time, seed script: $([[ -n $python ]] && "$python" --version 2>&1 || echo 'no python3')$([[ -n $torch_python ]] && echo ", torch walk: $("$torch_python" -c 'import sys, torch, torchvision; print("Python %d.%d.%d, torch %s, torchvision %s" % (sys.version_info[:3] + (torch.__version__, torchvision.__version__)))')")"
  echo "date|$(date -u '+%Y-%m-%d %H:%M UTC')"
} | table
echo
echo "Wall time: median of the runs (hyperfine -N, no shell; the runs column says how many)."
echo "Peak memory: maximum resident set size of one run (GNU time %M). On a"
echo "busy machine the medians of millisecond-long processes are noisy: the min column of"
echo "the first table is the least disturbed run. Targets use the median."
echo

echo "## Startup and bundled nets"
echo
{
  echo "command|runs|median ms|min ms|peak MB|vs trivial C++ (median)|(min)|target"
  echo "/bin/true|${RUNS[true]}|$(fmt_ms "${WALL[true]}")|$(fmt_ms "${MIN[true]}")|$(fmt_mb "${RSS[true]}")|$(ratio "${WALL[true]}" "${WALL[trivial]}")|$(ratio "${MIN[true]}" "${MIN[trivial]}")|"
  echo "netlens_trivial (empty C++ main, linked as netlens)|${RUNS[trivial]}|$(fmt_ms "${WALL[trivial]}")|$(fmt_ms "${MIN[trivial]}")|$(fmt_mb "${RSS[trivial]}")|1x|1x|"
  for n in "${nets[@]}"; do
    for f in $(formats_of "$n"); do
      k=netlens/$n/$f
      target=
      if [[ $n == vgg16 ]]; then
        target="<= 2x: FAIL"
        isnum "${WALL[$k]}" && le "${WALL[$k]}" "$(awk -v t="${WALL[trivial]}" 'BEGIN { print 2 * t }')" && target="<= 2x: PASS"
      fi
      echo "netlens analyze $n --format $f|${RUNS[$k]}|$(fmt_ms "${WALL[$k]}")|$(fmt_ms "${MIN[$k]}")|$(fmt_mb "${RSS[$k]}")|$(ratio "${WALL[$k]}" "${WALL[trivial]}")|$(ratio "${MIN[$k]}" "${MIN[trivial]}")|$target"
    done
  done
} | table
echo

echo "## Baselines: the seed's script and PyTorch, against netlens on the same net"
echo
{
  echo "command|runs|median ms|peak MB|vs netlens (table format)"
  if [[ -z $python ]]; then
    echo "seed_rf.py|-|skipped: no python3|-|-"
  fi
  for n in "${seed_nets[@]}"; do
    [[ -n $python ]] || break
    k=seed/$n
    echo "python3 bench/seed_rf.py $n|${RUNS[$k]}|$(fmt_ms "${WALL[$k]}")|$(fmt_mb "${RSS[$k]}")|$(ratio "${WALL[$k]}" "${WALL[netlens/$n/table]:-}") ($(fmt_ms "${WALL[netlens/$n/table]:-n/a}") ms)"
  done
  for size in "${seed_chains[@]}"; do
    [[ -n $python ]] || break
    k=seed/chain/$size
    ref=${WALL[scale/chain/yaml/$size]:-}
    echo "python3 bench/seed_rf.py --chain $size|${RUNS[$k]}|$(fmt_ms "${WALL[$k]}")|$(fmt_mb "${RSS[$k]}")|$(ratio "${WALL[$k]}" "$ref") (chain $size yaml: $(fmt_ms "${ref:-n/a}") ms)"
  done
  if [[ -n $torch_python ]]; then
    for n in vgg16 resnet50; do
      k=torch/$n
      echo "torch forward-hook walk $n (CPU)|${RUNS[$k]}|$(fmt_ms "${WALL[$k]}")|$(fmt_mb "${RSS[$k]}")|$(ratio "${WALL[$k]}" "${WALL[netlens/$n/table]:-}") ($(fmt_ms "${WALL[netlens/$n/table]:-n/a}") ms)"
    done
  else
    echo "torch forward-hook walk|-|skipped: apt-get install python3-torch python3-torchvision|-|-"
  fi
} | table
echo
echo "The seed's script knows no branches: its resnet50 is the main path only (52 convs"
echo "and pools); its chain is N layers of [3, 1, 1], and it is quadratic in N."
echo

echo "## ONNX: \`netlens analyze resnet50.onnx\` (torchvision's, with its weights)"
echo
{
  echo "command|runs|median ms|peak MB|target"
  if [[ -n $onnx_file ]]; then
    size_kb=$(($(stat -c %s "$onnx_file") / 1024))
    r=FAIL
    isnum "${WALL[onnx/netlens]}" && isnum "${WALL[onnx/python]}" &&
      le "$(awk -v n="${WALL[onnx/netlens]}" 'BEGIN { print 10 * n }')" "${WALL[onnx/python]}" && r=PASS
    m=FAIL
    isnum "${RSS[onnx/netlens]}" && le "${RSS[onnx/netlens]}" "$(awk -v s="$size_kb" 'BEGIN { print 1.5 * s }')" && m=PASS
    echo "netlens analyze resnet50.onnx ($(fmt_mb "$size_kb") MB file)|${RUNS[onnx/netlens]}|$(fmt_ms "${WALL[onnx/netlens]}")|$(fmt_mb "${RSS[onnx/netlens]}")|10x faster: $r; peak <= 1.5x the file: $m"
    echo "python3: onnx.shape_inference.infer_shapes(onnx.load(F))|${RUNS[onnx/python]}|$(fmt_ms "${WALL[onnx/python]}")|$(fmt_mb "${RSS[onnx/python]}")|$(ratio "${WALL[onnx/python]}" "${WALL[onnx/netlens]}") netlens' time"
  else
    echo "netlens analyze resnet50.onnx|-|skipped: apt-get install python3-torch python3-torchvision python3-onnx|-|-"
  fi
} | table
echo

echo "## Scaling: generated nets (bench/gen_net.sh), \`netlens analyze FILE\` (table)"
echo
base_wall=${MIN[netlens/alexnet/table]:-${MIN[trivial]}}
base_rss=${RSS[netlens/alexnet/table]:-${RSS[trivial]}}
{
  echo "net|format|layers|runs|wall ms|peak MB|us/layer|KB/layer"
  for kind in chain resnet; do
    for format in yaml json; do
      for size in "${sizes[@]}"; do
        k=scale/$kind/$format/$size
        w=${WALL[$k]} m=${RSS[$k]}
        usl=n/a kbl=n/a
        isnum "$w" && usl=$(awk -v w="$w" -v b="$base_wall" -v n="$size" 'BEGIN { printf "%.2f", (w - b) * 1000 / n }')
        isnum "$m" && kbl=$(awk -v m="$m" -v b="$base_rss" -v n="$size" 'BEGIN { printf "%.2f", (m - b) / n }')
        echo "$kind|$format|$size|${RUNS[$k]}|$(fmt_ms "$w")|$(fmt_mb "$m")|$usl|$kbl"
      done
    done
  done
} | table
echo
echo "us/layer and KB/layer are over the startup cost (\`netlens analyze alexnet\`, min:"
echo "$(fmt_ms "$base_wall") ms, $(fmt_mb "$base_rss") MB): flat columns mean linear totals. chain: 3x3 convs and"
echo "relus; resnet: blocks of conv, relu, conv, add, relu; 32x32x16 everywhere."
echo

echo "## Exact regions: \`netlens analyze inception_v3 --regions --format json\`"
echo
engine=$(micro_get regions_bundled/inception_v3 2)
engine_unit=$(micro_get regions_bundled/inception_v3 4)
{
  echo "measure|time|target"
  if [[ -n ${WALL[regions/inception_v3]:-} ]]; then
    echo "whole process (median of ${RUNS[regions/inception_v3]}), peak $(fmt_mb "${RSS[regions/inception_v3]}") MB|$(fmt_ms "${WALL[regions/inception_v3]}") ms|"
  fi
  if [[ -n $engine && $engine_unit == ms ]]; then
    target="< 50 ms: FAIL"
    le "$engine" 50 && target="< 50 ms: PASS"
    echo "engine only (netlens_bench regions_bundled/inception_v3)|$(fmt_ms "$engine") ms|$target"
  else
    echo "engine only (netlens_bench regions_bundled/inception_v3)|n/a|< 50 ms: not measured"
  fi
} | table
echo

echo "## Effective receptive field: \`netlens locate resnet50 --layer layer4.2.conv3 --unit 3,3 --erf -f json\`"
echo
erf_engine=$(micro_get erf_bundled/resnet50_last 2)
erf_engine_unit=$(micro_get erf_bundled/resnet50_last 4)
{
  echo "measure|time|target"
  if [[ -n ${WALL[erf/resnet50]:-} ]]; then
    r="< 100 ms: FAIL"
    le "${WALL[erf/resnet50]}" 100 && r="< 100 ms: PASS"
    echo "whole process (median of ${RUNS[erf/resnet50]}), peak $(fmt_mb "${RSS[erf/resnet50]}") MB|$(fmt_ms "${WALL[erf/resnet50]}") ms|$r"
  fi
  if [[ -n $erf_engine && $erf_engine_unit == ms ]]; then
    echo "engine only (netlens_bench erf_bundled/resnet50_last: compute_erf)|$(fmt_ms "$erf_engine") ms|"
  fi
} | table
echo

echo "## In-process costs (Google Benchmark: build-bench/bench/netlens_bench)"
echo
{
  echo "benchmark|real|cpu|cpu us/layer|iterations"
  while read -r name real cpu unit it pl; do
    per_layer=-
    [[ $pl != - ]] && per_layer=$(awk -v p="$pl" 'BEGIN { printf "%.3f", p * 1e6 }')
    echo "$name|$(fmt_ms "$real") $unit|$(fmt_ms "$cpu") $unit|$per_layer|$it"
  done <"$tmp/micro.txt"
} | table
echo
echo "parse = text to Net, analyze = the engine (shapes, receptive fields, costs),"
echo "render = Report to text, regions = every unit's exact regions. netlens_bench ${micro_args[*]}."
echo
echo "## Targets"
echo
{
  echo "target|measured|result"
  k=netlens/vgg16/table
  if [[ -n ${WALL[$k]:-} ]]; then
    r=FAIL
    isnum "${WALL[$k]}" && le "${WALL[$k]}" "$(awk -v t="${WALL[trivial]}" 'BEGIN { print 2 * t }')" && r=PASS
    echo "analyze vgg16 within 2x a trivial C++ binary|$(fmt_ms "${WALL[$k]}") ms vs $(fmt_ms "${WALL[trivial]}") ms = $(ratio "${WALL[$k]}" "${WALL[trivial]}")|$r"
  fi
  if [[ -n $engine && $engine_unit == ms ]]; then
    r=FAIL
    le "$engine" 50 && r=PASS
    echo "inception_v3 --regions engine time < 50 ms|$(fmt_ms "$engine") ms|$r"
  fi
  k=sizes/resnet152
  if [[ -n ${WALL[$k]:-} ]]; then
    r=FAIL
    isnum "${WALL[$k]}" && le "${WALL[$k]}" 500 && r=PASS
    echo "sizes resnet152 --axis h --range 1..4096 < 500 ms (whole process, median)|$(fmt_ms "${WALL[$k]}") ms|$r"
  fi
  if [[ -n ${WALL[erf/resnet50]:-} ]]; then
    r=FAIL
    le "${WALL[erf/resnet50]}" 100 && r=PASS
    echo "locate --erf, resnet50's last unit, whole process < 100 ms|$(fmt_ms "${WALL[erf/resnet50]}") ms|$r"
  fi
} | table
