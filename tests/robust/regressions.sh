#!/usr/bin/env bash
# Replays every file of fuzz/regressions/ (inputs that once crashed a fuzz
# target) and the hostile inputs of tests/data/hostile/ through `netlens
# check`: each must end with exit status 0 or 1 and at most one error line,
# within 5 seconds. Files named *.error.* must be rejected (exit 1), and the
# hostile ones with exactly the line tests/data/hostile/expected.txt holds.
set -u
netlens=${NETLENS:?set NETLENS to the netlens binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
cd "$root" || exit 1
for f in fuzz/regressions/* tests/data/hostile/*; do
  case $(basename "$f") in README.md | expected.txt) continue ;; esac
  [ -f "$f" ] || continue
  timeout 5 "$netlens" check "$f" >"$tmp/out" 2>"$tmp/err"
  status=$?
  errors=$(grep -c "^netlens: error: " "$tmp/err")
  others=$(grep -vc "^netlens: \(error\|warning\): " "$tmp/err")
  ok=1
  { [ $status -eq 0 ] || [ $status -eq 1 ]; } || ok=0
  [ "$errors" -le 1 ] && [ "$others" -eq 0 ] || ok=0
  case $f in *.error.*) [ $status -eq 1 ] && [ "$errors" -eq 1 ] || ok=0 ;; esac
  case $f in
    tests/data/hostile/*)
      grep -qxF "$(cat "$tmp/err")" tests/data/hostile/expected.txt || ok=0 ;;
  esac
  if [ $ok = 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "regressions: FAIL $f: exit $status: $(head -c 300 "$tmp/err")"
  fi
done
echo "regressions: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
