#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60) under ASan + UBSan,
# seeded with nets/, tests/data/ and shared/corpora/. A crash is saved in
# fuzz/regressions/ (the test suite replays that folder on every run).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("${@:-fuzz_yaml fuzz_json fuzz_pipeline fuzz_yaml_simple fuzz_onnx}")
shared=${NETLENS_SHARED_DIR:-../shared}

CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETLENS_FUZZ=ON \
  -DNETLENS_BUILD_TESTS=OFF -DNETLENS_SANITIZE=address,undefined >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_yaml fuzz_json fuzz_pipeline fuzz_yaml_simple \
  fuzz_onnx

mkdir -p fuzz/regressions
for target in ${targets[*]}; do
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  seeds=(nets tests/data tests/data/oracle fuzz/regressions)
  case $target in
    fuzz_json) seeds+=("$shared/corpora/json-test-suite") ;;
    # the test files and ONNX's backend suite (libonnx-testdata)
    fuzz_onnx) seeds=(tests/data/onnx fuzz/regressions) &&
      for m in /usr/share/libonnx-testdata/data/{simple,pytorch-converted,node}/*/model.onnx; do
        [ -f "$m" ] && cp "$m" "$corpus/$(echo "$m" | tr / _)"
      done ;;
    fuzz_yaml | fuzz_yaml_simple) seeds+=("$shared/corpora/yaml-test-suite") ;;
    *) seeds+=("$shared/corpora/json-test-suite" "$shared/corpora/yaml-test-suite") ;;
  esac
  echo "fuzz: $target for ${seconds}s"
  "build-fuzz/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix=fuzz/regressions/ "$corpus" "${seeds[@]}" \
    2>&1 | grep -E "^(#[0-9]+ +DONE|Done|==[0-9]+==ERROR|SUMMARY|artifact)" || true
done
echo "fuzz: findings so far: $(find fuzz/regressions -type f ! -name README.md | wc -l)"
