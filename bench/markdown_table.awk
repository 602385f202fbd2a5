# Rows of '|'-separated cells on stdin, the first the header -> an aligned
# Markdown table. A column whose cells are mostly numbers (or -, n/a,
# timeout, failed) is right-aligned, the others left-aligned. Shared by
# scripts/bench.sh and bench/compare.sh: awk -F'|' -f bench/markdown_table.awk
{
  for (i = 1; i <= NF; i++) {
    c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i)
    if (NR > 1 && $i != "") { filled[i]++; if ($i ~ /^([-+<]?[0-9]|-$|n\/a|timeout|failed)/) numeric[i]++ }
  }
  if (NF > nf) nf = NF
}
END {
  for (i = 1; i <= nf; i++) right[i] = numeric[i] * 2 > filled[i]
  for (r = 1; r <= NR; r++) {
    line = "|"
    for (i = 1; i <= nf; i++) line = line " " sprintf("%" (right[i] ? "" : "-") w[i] "s", c[r, i]) " |"
    print line
    if (r == 1) {
      line = "|"
      for (i = 1; i <= nf; i++) {
        s = ""; for (j = 0; j < w[i]; j++) s = s "-"
        line = line (right[i] ? "-" s ":" : ":" s "-") "|"
      }
      print line
    }
  }
}
