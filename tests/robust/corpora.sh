#!/usr/bin/env bash
# Every file of shared/corpora (JSONTestSuite, yaml-test-suite) fed to
# `netlens check`: exit status 1 and exactly one line on stderr, of the form
# "netlens: error: FILE:LINE:COL: ...", within 5 seconds. None is a net spec,
# so none may pass; none may crash, hang or print more.
set -u
netlens=${NETLENS:?set NETLENS to the netlens binary}
corpora=${1:?usage: corpora.sh SHARED_DIR}/corpora
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
for f in "$corpora"/json-test-suite/*.json "$corpora"/yaml-test-suite/*.yaml; do
  timeout 5 "$netlens" check "$f" >"$tmp/out" 2>"$tmp/err"
  status=$?
  lines=$(wc -l <"$tmp/err")
  if [ "$status" -eq 1 ] && [ "$lines" -eq 1 ] && [ ! -s "$tmp/out" ] &&
     grep -qE "^netlens: error: .+:[0-9]+:[0-9]+: " "$tmp/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "corpora: FAIL $f: exit $status, $lines stderr line(s): $(head -c 300 "$tmp/err")"
  fi
done
echo "corpora: $passed passed, $failed failed"
[ "$passed" -eq 720 ] && [ "$failed" -eq 0 ]
