# Sourced by run.sh. cold_windows LOG W: from an h2load --log-file (tab-separated: start in microseconds since the
# epoch, HTTP status or -1 for a failed stream, microseconds to the end of the response), prints for the calls that
# ended in the first and in the second window of W seconds after the first request started:
# "calls/s p99_ms calls/s p99_ms failed". Calls ending later are not counted.
cold_windows() {
  local log=$1 w=$2
  if [ ! -s "$log" ]; then echo "0 - 0 - 0"; return; fi
  # Pass 1 finds the first start; pass 2 tags each call with its window (0 = failed, 3 = after both).
  awk -F'\t' -v span=$((w * 1000000)) '
    NR == FNR { if (NF >= 3 && (first == "" || $1 < first)) first = $1; next }
    NF >= 3 { end = $1 + $3 - first; win = end < span ? 1 : end < 2 * span ? 2 : 3
      if ($2 < 200 || $2 > 299) win = 0
      print win "\t" $3 }' "$log" "$log" |
    sort -k1,1n -k2,2n |
    awk -F'\t' -v w="$w" '
      function p99(win,    k) {
        if (n[win] == 0) return "-"
        k = int(n[win] * 0.99 + 0.5); if (k < 1) k = 1
        return sprintf("%.3f", v[win, k] / 1000)
      }
      { n[$1]++; v[$1, n[$1]] = $2 }
      END { printf "%.0f %s %.0f %s %d\n", n[1] / w, p99(1), n[2] / w, p99(2), n[0] + 0 }'
}
