#!/usr/bin/env bash
# `cmake --install` puts netlens and the PyTorch exporter, netlens-torch, on the
# PATH: install into a temporary prefix and run both from there (the exporter
# as far as it goes without torch: its help and its usage error).
# Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR SOURCE_DIR}
source_dir=${2:?usage: run.sh BUILD_DIR SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
bin=$tmp/prefix/bin
export COLUMNS=80  # argparse wraps its help to the terminal's width

"$bin/netlens" analyze vgg16 --columns name,rf | sed -n 5p >"$tmp/row"
diff <(echo "conv1_1       3") "$tmp/row"

"$bin/netlens-torch" --help >"$tmp/help"
diff "$source_dir/tests/install/netlens-torch-help.txt" "$tmp/help"

status=0
"$bin/netlens-torch" --input 224 2>"$tmp/err" || status=$?
diff <(echo 2) <(echo "$status")
diff <(printf '%s\n' "usage: netlens-torch [-h] [--module MODULE] [--kwarg KEY=VALUE] --input INPUT" \
  "                     [--rank {1,2,3}] [--channels CHANNELS]" \
  "                     [--channels-last | --no-channels] [--name NAME]" \
  "                     [--description DESCRIPTION] [-o OUTPUT]" \
  "                     [model]" \
  "netlens-torch: error: give a torchvision model name or your own model as pkg.mod:factory (one of them)") "$tmp/err"
echo "install: netlens and netlens-torch run from $tmp/prefix/bin"
