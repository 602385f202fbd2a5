#!/usr/bin/env bash
# Ten files of shared/corpora (JSONTestSuite, yaml-test-suite: valid and
# invalid JSON and YAML, none a net spec) through the real binary: `netlens
# check FILE` exits 1 within 5 seconds, prints nothing on stdout and exactly
# the expected line on stderr. All 720 files are read in process by
# tests/unit/test_parse_corpora.cpp; this checks what only the binary does
# (exit status, the streams, the "netlens: error: " line).
set -u
netlens=${NETLENS:?set NETLENS to the netlens binary}
netlens=$(realpath "$netlens")  # each check runs in its corpus's folder
corpora=${1:?usage: corpora.sh SHARED_DIR}/corpora
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
# DIR|FILE|the stderr line (the file is given relative to DIR)
while IFS='|' read -r dir file expected; do
  (cd "$corpora/$dir" && timeout 5 "$netlens" check "$file") >"$tmp/out" 2>"$tmp/err"
  status=$?
  printf '%s\n' "$expected" >"$tmp/expected"
  if [ "$status" -eq 1 ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/err" "$tmp/expected"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "corpora: FAIL $dir/$file: exit $status (expected 1), $(wc -c <"$tmp/out") bytes on stdout (expected 0), stderr:"
    diff "$tmp/expected" "$tmp/err"
  fi
done <<'EOF'
json-test-suite|y_object_simple.json|netlens: error: y_object_simple.json:1:2: unknown key 'a'; allowed: name, input, convention, layers, outputs, blocks, shared_params
json-test-suite|y_structure_lonely_string.json|netlens: error: y_structure_lonely_string.json:1:1: expected a mapping with 'layers' at the top, got 'asd'
json-test-suite|n_object_trailing_comma.json|netlens: error: n_object_trailing_comma.json:1:9: invalid JSON: syntax error while parsing object key - unexpected '}'; expected string literal
json-test-suite|n_structure_100000_opening_arrays.json|netlens: error: n_structure_100000_opening_arrays.json:1:65: nesting deeper than 64 levels
json-test-suite|i_string_UTF-16LE_with_BOM.json|netlens: error: i_string_UTF-16LE_with_BOM.json:1:1: invalid UTF-8
yaml-test-suite|229Q.yaml|netlens: error: 229Q.yaml:1:1: expected a mapping with 'layers' at the top, got a list
yaml-test-suite|236B.error.yaml|netlens: error: 236B.error.yaml:1:1: unknown key 'foo'; allowed: name, input, convention, layers, outputs, blocks, shared_params
yaml-test-suite|Y79Y-000.error.yaml|netlens: error: Y79Y-000.error.yaml:2:1: invalid YAML: a tab in the indentation (YAML indents with spaces only)
yaml-test-suite|RZT7.yaml|netlens: error: RZT7.yaml:7:1: more than one YAML document (a second '---')
yaml-test-suite|SKE5.yaml|netlens: error: SKE5.yaml:3:2: YAML anchors (&name) are not supported; write the value out
EOF
echo "corpora: $passed passed, $failed failed"
[ "$passed" -eq 10 ] && [ "$failed" -eq 0 ]
