# The cold-start section of RESULTS.md, from run.sh's raw rows (first file: for each target's warm unary_small rate)
# and its cold rows (second file, tab-separated): backend target round ready_ms w1_calls_per_s w1_p99_ms
# w2_calls_per_s w2_p99_ms failed answered startup_cpu_s load_cpu_s peak_rss_kib jit_cpu_s (the JIT threads' share of
# both CPU figures; "-" or absent: not a JVM, or a row from before the column). Medians over rounds; w is the window
# in seconds. Portable awk (Debian's default is mawk).

function median(key,    n, i, j, t, a) {
  n = count[key]
  if (n == 0) return ""
  for (i = 1; i <= n; i++) a[i] = vals[key, i]
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  if (n % 2) return a[(n + 1) / 2]
  return (a[n / 2] + a[n / 2 + 1]) / 2
}

function add(b, t, metric, v,    key) {
  if (v == "" || v == "-") return
  key = b SUBSEP t SUBSEP metric
  vals[key, ++count[key]] = v + 0
}

function m(b, t, metric) { return median(b SUBSEP t SUBSEP metric) }

function fmt(v, digits) { return v == "" ? "–" : sprintf("%." digits "f", v) }

function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "–" : sprintf("%.2f×", a / b) }

function remember(list, item, n,    i) {
  for (i = 1; i <= n; i++) if (list[i] == item) return n
  list[n + 1] = item
  return n + 1
}

FILENAME == ARGV[1] { if ($2 == "unary_small") add($1, $3, "warm", $5); next }

{
  b = $1; t = $2
  nb = remember(backends, b, nb); nt = remember(targets, t, nt)
  add(b, t, "ready", $4 / 1000); add(b, t, "w1", $5); add(b, t, "p1", $6); add(b, t, "w2", $7); add(b, t, "p2", $8)
  add(b, t, "bad", $9); if ($10 == 0) unanswered[b, t]++
  add(b, t, "scpu", $11); add(b, t, "lcpu", $12); add(b, t, "rss", $13 / 1024); add(b, t, "jit", $14)
  have[b, t] = 1
}

END {
  print "## Cold start: a fresh instance's first seconds"
  print ""
  print "Each round starts a second instance of every proxy, fresh (no pre-warm, no check call), and puts unary_small's"
  print "load (h2load -c 8 -m 8, the 12-byte SayHello) through it from the moment its port accepts connections. The"
  print "windows count the calls that ended in the first and the second " w " s after the first request; \"warm\" is"
  print "the same target's unary_small rate from this run (after the pre-warm), where measured."
  print ""
  for (i = 1; i <= nb; i++) {
    b = backends[i]
    print "### Backend: " b
    print ""
    print "| target | port open s | first " w " s calls/s | p99 ms | next " w " s calls/s | p99 ms | warm calls/s |" \
      " first " w " s ÷ warm | CPU s to start | CPU s under load | of both, JIT | peak RSS MiB | failed |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (k = 1; k <= nt; k++) {
      t = targets[k]
      if (!((b, t) in have)) continue
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s%s |\n", t, fmt(m(b, t, "ready"), 2),
        fmt(m(b, t, "w1"), 0), fmt(m(b, t, "p1"), 3), fmt(m(b, t, "w2"), 0), fmt(m(b, t, "p2"), 3),
        fmt(m(b, t, "warm"), 0), ratio(m(b, t, "w1"), m(b, t, "warm")), fmt(m(b, t, "scpu"), 2),
        fmt(m(b, t, "lcpu"), 2), fmt(m(b, t, "jit"), 2), fmt(m(b, t, "rss"), 1), fmt(m(b, t, "bad"), 0),
        ((b, t) in unanswered) ? " (" unanswered[b, t] " not answering SayHello after)" : ""
    }
    print ""
    if ((b, "ferry") in have) {
      print "ferry's first " w " s ÷ its own warm rate: " ratio(m(b, "ferry", "w1"), m(b, "ferry", "warm")) \
        "; ferry ÷ each target (calls/s > 1 and p99 < 1 are wins for ferry):"
      print ""
      print "| ferry ÷ | first " w " s calls/s | first " w " s p99 | next " w " s calls/s | next " w " s p99 |"
      print "| --- | ---: | ---: | ---: | ---: |"
      for (k = 1; k <= nt; k++) {
        t = targets[k]
        if (t == "ferry" || !((b, t) in have)) continue
        printf "| %s | %s | %s | %s | %s |\n", t, ratio(m(b, "ferry", "w1"), m(b, t, "w1")),
          ratio(m(b, "ferry", "p1"), m(b, t, "p1")), ratio(m(b, "ferry", "w2"), m(b, t, "w2")),
          ratio(m(b, "ferry", "p2"), m(b, t, "p2"))
      }
      print ""
    }
  }
}
