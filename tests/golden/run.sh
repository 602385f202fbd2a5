#!/usr/bin/env bash
# Golden tests of the real binary, stdout compared byte for byte with
# tests/golden/NET.FORMAT and stderr (warnings) with tests/golden/NET.stderr:
# - three nets in every format (table json csv md dot): vgg16 (a plain
#   chain), resnet50 (residual merges), unet (crops and upsampling);
# - every other bundled net in JSON only, the format that carries every
#   number (the other formats render the same Report: three nets pin them);
# - zf-5 --regions in JSON.
# Every file in tests/golden/ must be one this run compared (plot/ belongs
# to tests/plot/run.sh): a stale golden file that nothing checks is a failure.
# UPDATE_GOLDEN=1 rewrites the files (review the diff like code); it does not
# delete orphans, git rm them.
set -u
netlens=${NETLENS:?set NETLENS to the netlens binary}
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passed=0
all_formats_nets="vgg16 resnet50 unet"
declare -A compared=()

fail() {
  echo "golden: $*"
  failures=$((failures + 1))
}

nets=$("$netlens" list | awk '{print $1}')
[ -n "$nets" ] || { echo "golden: 'netlens list' printed no nets"; exit 1; }
for net in $all_formats_nets; do
  grep -qx "$net" <<<"$nets" || fail "$net is not in 'netlens list'"
done

compare() {  # expected-file actual-file
  compared[$(basename "$1")]=1
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$2" "$1"
    passed=$((passed + 1))
  elif [ ! -e "$1" ]; then
    fail "MISSING $(basename "$1") (UPDATE_GOLDEN=1 writes it)"
  elif ! cmp -s "$1" "$2"; then
    fail "MISMATCH $(basename "$1")"
    diff -u "$1" "$2" | head -20
  else
    passed=$((passed + 1))
  fi
}

for net in $nets; do
  formats=json
  case " $all_formats_nets " in *" $net "*) formats="table json csv md dot" ;; esac
  for format in $formats; do
    # Marked before the run so that a crash is reported once, as a crash,
    # not a second time as an orphan.
    compared[$net.$format]=1
    compared[$net.stderr]=1
    "$netlens" analyze "$net" --format "$format" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ $status -ne 0 ]; then
      fail "netlens analyze $net --format $format exited $status"
      cat "$tmp/err"
      continue
    fi
    compare "$dir/$net.$format" "$tmp/out"
    # Warnings go to stderr and must not depend on the format: one file per
    # net, compared after each format.
    compare "$dir/$net.stderr" "$tmp/err"
  done
done

# Unit-by-unit regions in JSON (a chain of padded convs and pools).
"$netlens" analyze zf-5 --regions --format json >"$tmp/out" 2>/dev/null ||
  fail "netlens analyze zf-5 --regions failed"
compare "$dir/zf-5.regions.json" "$tmp/out"

# Orphans: files here that no comparison above read.
shopt -s dotglob nullglob
for path in "$dir"/*; do
  name=$(basename "$path")
  case $name in run.sh | plot) continue ;; esac
  [ -n "${compared[$name]:-}" ] ||
    fail "ORPHAN $name: no check reads it (git rm it, or add its check to run.sh)"
done

echo "golden: $passed passed, $failures failed"
[ $failures -eq 0 ]
