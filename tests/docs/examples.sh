#!/usr/bin/env bash
# The documentation's examples, run: every line "$ COMMAND" in a fenced block
# of README.md and docs/*.md is run by bash (with `netlens` the built binary)
# and what it prints, stdout and stderr together, must be the lines that
# follow it up to the next "$ " line or the end of the block, exactly.
#
# Markers, an HTML comment on the line before a fenced block:
#   <!-- example: file NAME -->     the block is the file NAME, which every
#                                   document's examples find in their folder
#                                   (one definition for all: README.md's
#                                   tiny.yaml serves docs/costs.md too)
#   <!-- example: skip (REASON) --> the block's commands are not run; each
#                                   skip is listed in this script's output
# A command may go on in a here-document (<<'EOF' ... EOF). Each document runs
# in one bash process, in order (so `echo $?` sees the command before it), in
# its own temporary folder that mirrors the repository's top level by
# symbolic links, with ../shared beside it: files an example writes
# (-o rf.svg) never land in the source tree.
#
# Usage: examples.sh SOURCE_DIR SHARED_DIR (NETLENS=the binary)
set -uo pipefail
shopt -s nullglob
netlens=$(realpath "${NETLENS:?set NETLENS to the netlens binary}")
root=$(realpath "${1:?usage: examples.sh SOURCE_DIR SHARED_DIR}")
shared=$(realpath "${2:?usage: examples.sh SOURCE_DIR SHARED_DIR}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
ln -s "$netlens" "$tmp/bin/netlens"

# One document -> $dir/run.sh (the commands in order, each one's output to
# $NETLENS_EXAMPLE_OUT/out.N), $dir/expected.N, $dir/file.NAME and $dir/list
# (N, line, the command's first line; or "skip", line, reason; or "file",
# line, NAME).
extract() {
  awk -v dir="$2" '
    function flush_file(   i, path) {
      path = dir "/file." file_name
      printf "" > path
      for (i = 1; i <= n; ++i) print body[i] > path
      close(path)
      print "file\t" start "\t" file_name > list
    }
    function flush_session(   i, line, k, term, cmd_line) {
      if (skip != "") {
        for (i = 1; i <= n; ++i) {
          if (body[i] ~ /^\$ /) {
            print "skip\t" (start + i) "\t" skip > list
          }
        }
        return
      }
      i = 1
      while (i <= n) {
        line = body[i]
        if (line !~ /^\$ /) {  # output before any command: no example
          print "stray\t" (start + i) "\t" line > list
          ++i
          continue
        }
        ++k_total
        k = k_total
        cmd_line = start + i
        print "{ " substr(line, 3) > script
        term = ""
        if (match(line, /<<-?[ ]*['"'"'"]?[A-Za-z_][A-Za-z_0-9]*/)) {
          term = substr(line, RSTART, RLENGTH)
          sub(/^<<-?[ ]*['"'"'"]?/, "", term)
        }
        ++i
        while (i <= n && (term != "" || line ~ /\\$/)) {
          line = body[i]
          print line > script
          ++i
          if (term != "" && line == term) term = ""
        }
        print "} >\"$NETLENS_EXAMPLE_OUT/out." k "\" 2>&1 </dev/null" > script
        printf "" > (dir "/expected." k)
        while (i <= n && body[i] !~ /^\$ /) {
          print body[i] > (dir "/expected." k)
          ++i
        }
        close(dir "/expected." k)
        print k "\t" cmd_line "\t" substr(body[cmd_line - start], 3) > list
      }
    }
    BEGIN { script = dir "/run.sh"; list = dir "/list"; printf "" > script; printf "" > list }
    /^```/ {
      if (!fence) {
        fence = 1; start = NR; n = 0; has_cmd = 0
        file_name = pending_file; skip = pending_skip
        pending_file = ""; pending_skip = ""
        next
      }
      fence = 0
      if (file_name != "") flush_file()
      else if (has_cmd) flush_session()
      next
    }
    fence { body[++n] = $0; if ($0 ~ /^\$ /) has_cmd = 1; next }
    /^<!-- example: file [^ ]+ -->$/ { pending_file = $4; next }
    /^<!-- example: skip \(.*\) -->$/ {
      pending_skip = $0
      sub(/^<!-- example: skip \(/, "", pending_skip)
      sub(/\) -->$/, "", pending_skip)
      next
    }
    /^<!-- example:/ { print "badmarker\t" NR "\t" $0 > list; next }
    /^[ \t]*$/ { next }
    { pending_file = ""; pending_skip = "" }
  ' "$1"
}

failed=0
ran=0
skipped=0
skip_list=""
docs=("$root/README.md" "$root"/docs/*.md)
# The files first: every document may use them.
mkdir -p "$tmp/files"
for doc in "${docs[@]}"; do
  name=${doc#"$root"/}
  dir="$tmp/docs/$(echo "$name" | tr '/.' '__')"
  mkdir -p "$dir/out"
  extract "$doc" "$dir"
  while IFS=$'\t' read -r kind line file; do
    if [ "$kind" != file ]; then
      continue
    fi
    case "$file" in
      */* | .*)
        failed=$((failed + 1))
        echo "docs: $name:$line: example file '$file': a plain name, please"
        ;;
      *)
        if [ -e "$tmp/files/$file" ] && ! cmp -s "$tmp/files/$file" "$dir/file.$file"; then
          failed=$((failed + 1))
          echo "docs: $name:$line: example file '$file' differs from its other definition"
        fi
        cp "$dir/file.$file" "$tmp/files/$file"
        ;;
    esac
  done <"$dir/list"
done

for doc in "${docs[@]}"; do
  name=${doc#"$root"/}
  dir="$tmp/docs/$(echo "$name" | tr '/.' '__')"
  if ! grep -qv '^file' "$dir/list"; then
    continue
  fi
  work="$dir/work/repo"
  mkdir -p "$work"
  for entry in "$root"/* "$root"/.[!.]*; do
    case "$(basename "$entry")" in
      build* | .git) ;;
      *) ln -s "$entry" "$work/" ;;
    esac
  done
  ln -s "$shared" "$dir/work/shared"
  cp "$tmp/files/"* "$work/" 2>/dev/null
  (cd "$work" && PATH="$tmp/bin:$PATH" NETLENS_EXAMPLE_OUT="$dir/out" \
    timeout 300 bash "$dir/run.sh" >"$dir/run.log" 2>&1)
  while IFS=$'\t' read -r k line command; do
    case "$k" in
      file) continue ;;
      skip)
        skipped=$((skipped + 1))
        skip_list+="  $name:$line: $command"$'\n'
        continue
        ;;
      stray | badmarker)
        failed=$((failed + 1))
        echo "docs: $name:$line: $k line in an example block: $command"
        continue
        ;;
    esac
    ran=$((ran + 1))
    if [ ! -e "$dir/out/out.$k" ]; then
      failed=$((failed + 1))
      echo "docs: $name:$line: \$ $command: did not run (the document's script stopped: $(tail -c 300 "$dir/run.log"))"
    elif ! cmp -s "$dir/expected.$k" "$dir/out/out.$k"; then
      failed=$((failed + 1))
      echo "docs: $name:$line: \$ $command"
      diff -u --label "$name:$line (the document)" --label "what it prints" \
        "$dir/expected.$k" "$dir/out/out.$k" | head -60
    fi
  done <"$dir/list"
done

# Every "$ " line of the documents ran or is listed as skipped.
lines=$(cat "$root/README.md" "$root"/docs/*.md | grep -c '^\$ ')
if [ "$((ran + skipped))" -ne "$lines" ]; then
  failed=$((failed + 1))
  echo "docs: $lines lines start with '\$ ' but $ran ran and $skipped were skipped"
fi
if [ -n "$skip_list" ]; then
  echo "docs: skipped (marked <!-- example: skip (...) -->):"
  printf '%s' "$skip_list"
fi
echo "docs: $ran examples run, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$ran" -gt 0 ]
