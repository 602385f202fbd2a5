#!/usr/bin/env bash
# The SVG figures of the real binary: each must be well-formed XML (xmllint),
# equal byte for byte its golden file in tests/golden/plot/, and render with
# librsvg (rsvg-convert) to a PNG of the size the SVG declares that is not
# blank. The figures in docs/img/ must be the golden ones.
# UPDATE_GOLDEN=1 rewrites the golden files and docs/img (review the diff).
# Needs xmllint (libxml2-utils) and rsvg-convert (librsvg2-bin): without
# them the test fails, it does not skip.
set -u
netlens=${NETLENS:?set NETLENS to the netlens binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
golden=$root/tests/golden/plot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checked=0

for tool in xmllint rsvg-convert od; do
  if ! command -v "$tool" >/dev/null; then
    echo "plot: $tool is missing: apt-get install libxml2-utils librsvg2-bin"
    exit 1
  fi
done

fail() {
  echo "plot: $*"
  failures=$((failures + 1))
}

# Big-endian 32-bit integer at byte offset $2 of file $1.
u32() {
  od -An -tu1 -j"$2" -N4 "$1" | awk '{print (($1 * 256 + $2) * 256 + $3) * 256 + $4}'
}

# The PNG of $1.svg has the SVG's width and height, and is much larger than
# the PNG of the same SVG cut down to its white background: a blank or
# nearly blank picture compresses to almost nothing.
check_png() {
  local svg=$1 base=${1%.svg}
  rsvg-convert -f png -o "$base.png" "$svg" || { fail "rsvg-convert failed on $(basename "$svg")"; return; }
  sed -n '1,/data-role="background"/p' "$svg" >"$base.blank.svg"
  echo '</svg>' >>"$base.blank.svg"
  rsvg-convert -f png -o "$base.blank.png" "$base.blank.svg" || { fail "blank render failed"; return; }
  local w h
  w=$(sed -n '1s/.* width="\([0-9]*\)".*/\1/p' "$svg")
  h=$(sed -n '1s/.* height="\([0-9]*\)".*/\1/p' "$svg")
  [ "$(od -An -c -j1 -N3 "$base.png" | tr -d ' ')" = PNG ] || fail "$(basename "$base.png") is not a PNG"
  [ "$(u32 "$base.png" 16)x$(u32 "$base.png" 20)" = "${w}x$h" ] ||
    fail "$(basename "$base.png") is $(u32 "$base.png" 16)x$(u32 "$base.png" 20), the SVG says ${w}x$h"
  local size blank
  size=$(wc -c <"$base.png")
  blank=$(wc -c <"$base.blank.png")
  [ "$size" -gt $((blank * 4)) ] ||
    fail "$(basename "$base.png") looks blank: $size bytes, a white ${w}x$h PNG is $blank"
}

check() {  # name netlens-plot-arguments...
  local name=$1
  shift
  checked=$((checked + 1))
  if ! "$netlens" plot "$@" -o "$tmp/$name.svg" 2>"$tmp/err"; then
    fail "netlens plot $* failed: $(cat "$tmp/err")"
    return
  fi
  xmllint --noout "$tmp/$name.svg" || fail "$name.svg is not well-formed XML"
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$tmp/$name.svg" "$golden/$name.svg"
  elif ! cmp -s "$golden/$name.svg" "$tmp/$name.svg"; then
    fail "MISMATCH $name.svg (netlens plot $*)"
    diff -u "$golden/$name.svg" "$tmp/$name.svg" | head -20
  fi
  check_png "$tmp/$name.svg"
}

check resnet50 resnet50
check unet-conv9_2 unet --layer conv9_2 --unit 40,40
check unet-decoder unet --layer conv6_2 --layer conv7_2 --layer conv8_2 --layer conv9_2 --unit 40,40
check vgg16-corner vgg16 --layer conv3_3 --layer conv5_3 --layer pool5 --unit 0,0
check fcn32s fcn32s
check vgg16-erf vgg16 --erf --layer conv4_3 --unit 14,14
check wavenet-erf "$root/tests/data/models/wavenet.yaml" --erf --layer block10.sum --unit 3000
check r2plus1d-erf r2plus1d_18 --erf --layer layer1.0.conv1.0.0 --unit 3,20,20 -q

# The README's pictures.
for pair in resnet50-rf.svg:resnet50.svg unet-region.svg:unet-decoder.svg vgg16-erf.svg:vgg16-erf.svg; do
  doc=$root/docs/img/${pair%%:*}
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$golden/${pair#*:}" "$doc"
  elif ! cmp -s "$doc" "$golden/${pair#*:}"; then
    fail "docs/img/${pair%%:*} is not tests/golden/plot/${pair#*:} (UPDATE_GOLDEN=1 refreshes it)"
  fi
done

echo "plot: $((checked - failures)) passed, $failures failed"
[ $failures -eq 0 ]
