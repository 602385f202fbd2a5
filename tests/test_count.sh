#!/usr/bin/env bash
# Every Catch2 test case is one ctest entry of the same name, and the other
# way round. catch_discover_tests reads the names into a CMake list, so a ';'
# in a name splits it into entries that match no test case and run nothing;
# this compares the two lists by name, so such a name shows up here.
# Usage: test_count.sh TEST_BINARY BUILD_DIR (CTEST=path to ctest)
set -euo pipefail
binary=${1:?usage: test_count.sh TEST_BINARY BUILD_DIR}
build=${2:?usage: test_count.sh TEST_BINARY BUILD_DIR}
ctest=${CTEST:-ctest}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Catch2 v2 prints one name a line, unwrapped and without a count line; its
# exit status is the number of test cases (at most 255), so it is not checked.
"$binary" --list-test-names-only >"$tmp/listed" || true
LC_ALL=C sort "$tmp/listed" >"$tmp/catch"
# The entries catch_discover_tests made carry the label "catch"
# (tests/CMakeLists.txt); ctest -N prints "  Test #12: name".
"$ctest" --test-dir "$build" -N -L '^catch$' >"$tmp/shown"
sed -n 's/^ *Test *#[0-9]*: //p' "$tmp/shown" | LC_ALL=C sort >"$tmp/ctest"

catch_count=$(wc -l <"$tmp/catch")
ctest_count=$(wc -l <"$tmp/ctest")
if [ "$catch_count" -eq 0 ]; then
  echo "test_count: $binary lists no test cases" >&2
  exit 1
fi
if ! diff -u --label "Catch2 test cases ($catch_count)" --label "ctest entries ($ctest_count)" \
  "$tmp/catch" "$tmp/ctest"; then
  echo "test_count: the Catch2 test cases and the ctest entries differ (a ';' in a name splits it)" >&2
  exit 1
fi
echo "test_count: $catch_count Catch2 test cases, $ctest_count ctest entries of the same names"
