#!/usr/bin/env bash
# Golden tests of the real binary: every bundled net in every format, stdout
# compared byte for byte with tests/golden/NET.FORMAT and stderr (warnings)
# with tests/golden/NET.stderr.
# UPDATE_GOLDEN=1 rewrites the files (review the diff like code).
set -u
netlens=${NETLENS:?set NETLENS to the netlens binary}
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checked=0

nets=$("$netlens" list | awk '{print $1}')
[ -n "$nets" ] || { echo "golden: 'netlens list' printed no nets"; exit 1; }

compare() {  # expected-file actual-file
  checked=$((checked + 1))
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$2" "$1"
  elif ! cmp -s "$1" "$2"; then
    echo "golden: MISMATCH $(basename "$1")"
    diff -u "$1" "$2" | head -20
    failures=$((failures + 1))
  fi
}

for net in $nets; do
  for format in table json csv md dot; do
    "$netlens" analyze "$net" --format "$format" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ $status -ne 0 ]; then
      echo "golden: netlens analyze $net --format $format exited $status"
      cat "$tmp/err"
      failures=$((failures + 1))
      continue
    fi
    compare "$dir/$net.$format" "$tmp/out"
    # Warnings go to stderr and do not depend on the format: kept once per net.
    compare "$dir/$net.stderr" "$tmp/err"
  done
done

# Unit-by-unit regions in JSON (a chain of padded convs and pools).
"$netlens" analyze zf-5 --regions --format json >"$tmp/out" 2>/dev/null ||
  { echo "golden: netlens analyze zf-5 --regions failed"; failures=$((failures + 1)); }
compare "$dir/zf-5.regions.json" "$tmp/out"

echo "golden: $((checked - failures)) passed, $failures failed"
[ $failures -eq 0 ]
