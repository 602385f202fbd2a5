#!/usr/bin/env bash
# Generates a synthetic net for the scaling benchmarks, on stdout:
#   gen_net.sh chain  N [yaml|json]   N layers: 3x3 conv (pad 1) and relu, alternating
#   gen_net.sh resnet N [yaml|json]   ResNet-like blocks of 5 layers (conv, relu, conv,
#                                     add with the block's input, relu), relus to reach N
# Input 32x32x16 and stride 1 everywhere: the size stays put, so every layer
# costs the same and the time per layer can be compared across N.
set -euo pipefail
usage="usage: gen_net.sh chain|resnet N [yaml|json]"
kind=${1:?$usage}
n=${2:?$usage}
format=${3:-yaml}
case $kind in chain | resnet) ;; *) echo "gen_net.sh: unknown kind '$kind'; $usage" >&2; exit 2 ;; esac
case $format in yaml | json) ;; *) echo "gen_net.sh: unknown format '$format'; $usage" >&2; exit 2 ;; esac

awk -v kind="$kind" -v n="$n" -v json="$([ "$format" = json ] && echo 1 || echo 0)" '
function q(s) { return json ? "\"" s "\"" : s }
function kv(k, v) { return ", " q(k) ": " v }
# One layer per line; `a` and `b`, when given, are its inputs.
function layer(name, type, a, b,    line) {
  line = q("name") ": " q(name) kv("type", q(type))
  if (type == "conv") {
    line = line kv("in_channels", 16) kv("out_channels", 16) kv("kernel_size", 3) kv("padding", 1)
  }
  if (a != "") line = line kv("inputs", "[" q(a) ", " q(b) "]")
  if (json) printf "%s\n    {%s}", (count > 0 ? "," : ""), line
  else printf "  - {%s}\n", line
  count++
}
BEGIN {
  name = kind n
  if (json) printf "{\"name\": \"%s\", \"input\": {\"size\": [32, 32], \"channels\": 16}, \"layers\": [", name
  else printf "name: %s\ninput: {size: [32, 32], channels: 16}\nlayers:\n", name
  if (kind == "chain") {
    for (i = 0; i < n; i++) layer((i % 2 ? "relu" : "conv") i, i % 2 ? "relu" : "conv")
  } else {
    last = "input"  # the first block adds the net input
    for (b = 0; count + 5 <= n; b++) {
      layer("b" b ".conv1", "conv"); layer("b" b ".relu1", "relu"); layer("b" b ".conv2", "conv")
      layer("b" b ".add", "add", "b" b ".conv2", last); layer("b" b ".out", "relu")
      last = "b" b ".out"
    }
    while (count < n) layer("tail" count, "relu")
  }
  if (json) printf "\n]}\n"
}'
