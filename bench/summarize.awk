# Turns run.sh's raw rows into the Markdown tables of RESULTS.md: medians over rounds, then ferry's ratios.
# Input (tab-separated): backend scenario target round calls/s total_s main_s data_bytes done failed p50_ms p99_ms
#                        proxy_cpu_s backend_cpu_s peak_rss_kib
# total_s and data_bytes include h2load's warm-up; done, calls/s and the CPU seconds cover the measured phase only.
# Portable awk (Debian's default is mawk): no asort, no arrays of arrays.

function median(key,    n, i, j, t, a) {
  n = count[key]
  if (n == 0) return ""
  for (i = 1; i <= n; i++) a[i] = vals[key, i]
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  if (n % 2) return a[(n + 1) / 2]
  return (a[n / 2] + a[n / 2 + 1]) / 2
}

function add(b, s, t, metric, v,    key) {
  if (v == "" || v == "-") return
  key = b SUBSEP s SUBSEP t SUBSEP metric
  vals[key, ++count[key]] = v + 0
}

function remember(list, item, n,    i) {
  for (i = 1; i <= n; i++) if (list[i] == item) return n
  list[n + 1] = item
  return n + 1
}

function m(b, s, t, metric) { return median(b SUBSEP s SUBSEP t SUBSEP metric) }

function fmt(v, digits) {
  if (v == "") return "–"
  return sprintf("%." digits "f", v)
}

function ratio(a, b) {
  if (a == "" || b == "" || b == 0) return "–"
  return sprintf("%.2f×", a / b)
}

function title(s) {
  if (s == "unary_small") return "Unary small calls (HelloRequest → HelloReply, 8 connections × 8 streams)"
  if (s == "unary_1mb") return "Unary 1 MiB request and 1 MiB reply (4 connections × 2 streams)"
  if (s == "stream") return "Server streaming: 1024 × 64 KiB replies per call (2 connections × 1 stream)"
  if (s == "many_clients") return "Many clients: bursts of 1,000 connections making 5,000 small calls (connects included), summed"
  if (s == "web_small") return "Unary small calls in gRPC-Web, bridged by ferry to the backend's gRPC (8 connections × 8 streams; ferry only)"
  if (s == "call_small") return "Unary small calls with `ferry call` as the load generator (64 in flight; its CPU columns are not measured)"
  return s
}

{
  b = $1; s = $2; t = $3
  nb = remember(backends, b, nb); ns = remember(scenarios, s, ns); nt = remember(targets, t, nt)
  add(b, s, t, "rps", $5)
  mbps = ($6 > 0) ? $8 / $6 / 1e6 : 0
  if ($6 > 0) add(b, s, t, "mbps", mbps)
  add(b, s, t, "p50", $11); add(b, s, t, "p99", $12)
  if ($9 > 0 && $13 != "-") { add(b, s, t, "cpu", $13 / $9 * 1e5); add(b, s, t, "bcpu", $14 / $9 * 1e5) }
  if (mbps > 0 && $7 > 0) add(b, s, t, "cpugb", $13 / (mbps * $7 / 1e3))
  add(b, s, t, "rss", $15 / 1024)
  add(b, s, t, "bad", $10)
  have[b, s, t] = 1
  if (t == "ferry") hasferry = 1
}

function unit(s) { return s == "stream" ? "MB/s" : "calls/s" }

# The summary: one line per backend and scenario, the median throughput of every target side by side.
function summary(    i, j, k, b, s, t, line, head, sep) {
  print "## Summary (median throughput)"
  print ""
  head = "| backend | scenario | unit |"; sep = "| --- | --- | --- |"
  for (k = 1; k <= nt; k++) { head = head " " targets[k] " |"; sep = sep " ---: |" }
  if (hasferry) { head = head " ferry ÷ best other proxy |"; sep = sep " ---: |" }
  print head; print sep
  for (i = 1; i <= nb; i++) for (j = 1; j <= ns; j++) {
    b = backends[i]; s = scenarios[j]
    line = "| " b " | " s " | " unit(s) " |"
    best = ""
    for (k = 1; k <= nt; k++) {
      t = targets[k]
      v = ((b, s, t) in have) ? m(b, s, t, s == "stream" ? "mbps" : "rps") : ""
      line = line " " fmt(v, s == "stream" ? 1 : 0) " |"
      if (t != "ferry" && t != "ferry-base" && t != "direct" && v != "" && (best == "" || v > best)) best = v
    }
    if (hasferry) line = line " " ratio(((b, s, "ferry") in have) ? m(b, s, "ferry", s == "stream" ? "mbps" : "rps") : "", best) " |"
    print line
  }
  print ""
}

# How close `ferry call`'s load mode comes to h2load on the same target: the load generator's own overhead.
function loadgens(    i, k, b, t) {
  for (i = 1; i <= nb; i++) {
    b = backends[i]
    if (!((b, "call_small", targets[1]) in have) && !((b, "call_small", "ferry") in have)) continue
    print "## `ferry call` ÷ h2load as the load generator (" b " backend, unary small calls, 64 in flight)"
    print ""
    print "| target | h2load calls/s | ferry call calls/s | ferry call ÷ h2load | h2load p99 ms | ferry call p99 ms |"
    print "| --- | ---: | ---: | ---: | ---: | ---: |"
    for (k = 1; k <= nt; k++) {
      t = targets[k]
      if (!((b, "call_small", t) in have) || !((b, "unary_small", t) in have)) continue
      printf "| %s | %s | %s | %s | %s | %s |\n", t, fmt(m(b, "unary_small", t, "rps"), 0), fmt(m(b, "call_small", t, "rps"), 0),
        ratio(m(b, "call_small", t, "rps"), m(b, "unary_small", t, "rps")),
        fmt(m(b, "unary_small", t, "p99"), 3), fmt(m(b, "call_small", t, "p99"), 3)
    }
    print ""
  }
}

# What ferry's gRPC-Web bridge costs: the same calls in gRPC-Web and in gRPC, through the same ferry.
function bridges(    i, k, b, t) {
  for (i = 1; i <= nb; i++) {
    b = backends[i]
    if (!((b, "web_small", "ferry") in have) || !((b, "unary_small", "ferry") in have)) continue
    print "## gRPC-Web ÷ gRPC through ferry (" b " backend, unary small calls)"
    print ""
    print "| target | gRPC calls/s | gRPC-Web calls/s | gRPC-Web ÷ gRPC | gRPC p99 ms | gRPC-Web p99 ms |"
    print "| --- | ---: | ---: | ---: | ---: | ---: |"
    for (k = 1; k <= nt; k++) {
      t = targets[k]
      if (!((b, "web_small", t) in have) || !((b, "unary_small", t) in have)) continue
      printf "| %s | %s | %s | %s | %s | %s |\n", t, fmt(m(b, "unary_small", t, "rps"), 0), fmt(m(b, "web_small", t, "rps"), 0),
        ratio(m(b, "web_small", t, "rps"), m(b, "unary_small", t, "rps")),
        fmt(m(b, "unary_small", t, "p99"), 3), fmt(m(b, "web_small", t, "p99"), 3)
    }
    print ""
  }
}

END {
  summary()
  loadgens()
  bridges()
  for (i = 1; i <= nb; i++) {
    b = backends[i]
    print "## Backend: " b (b == "canned" ? " (nghttpd serving canned gRPC replies)" : " (ferry greeter, grpc-java)")
    print ""
    for (j = 1; j <= ns; j++) {
      s = scenarios[j]
      stream = (s == "stream")
      print "### " title(s)
      print ""
      if (stream) {
        print "| target | MB/s | calls/s | p50 ms | p99 ms | proxy CPU s/GB | peak RSS MiB | failed |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
      } else {
        print "| target | calls/s | MB/s | p50 ms | p99 ms | proxy CPU s/100k calls | backend CPU s/100k calls | peak RSS MiB | failed |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
      }
      for (k = 1; k <= nt; k++) {
        t = targets[k]
        if (!((b, s, t) in have)) continue
        if (stream)
          printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", t, fmt(m(b, s, t, "mbps"), 1), fmt(m(b, s, t, "rps"), 2),
            fmt(m(b, s, t, "p50"), 1), fmt(m(b, s, t, "p99"), 1), fmt(m(b, s, t, "cpugb"), 2),
            fmt(m(b, s, t, "rss"), 1), fmt(m(b, s, t, "bad"), 0)
        else
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", t, fmt(m(b, s, t, "rps"), 0), fmt(m(b, s, t, "mbps"), 1),
            fmt(m(b, s, t, "p50"), 3), fmt(m(b, s, t, "p99"), 3), fmt(m(b, s, t, "cpu"), 2),
            fmt(m(b, s, t, "bcpu"), 2), fmt(m(b, s, t, "rss"), 1), fmt(m(b, s, t, "bad"), 0)
      }
      print ""
      if ((b, s, "ferry") in have) {
        print "ferry ÷ each target (throughput > 1 and p99, CPU, RSS < 1 are wins for ferry):"
        print ""
        print "| ferry ÷ | throughput | p99 | proxy CPU per unit | peak RSS |"
        print "| --- | ---: | ---: | ---: | ---: |"
        tp = stream ? "mbps" : "rps"; cu = stream ? "cpugb" : "cpu"
        for (k = 1; k <= nt; k++) {
          t = targets[k]
          if (t == "ferry" || !((b, s, t) in have)) continue
          printf "| %s | %s | %s | %s | %s |\n", t, ratio(m(b, s, "ferry", tp), m(b, s, t, tp)),
            ratio(m(b, s, "ferry", "p99"), m(b, s, t, "p99")),
            (t == "direct" ? "–" : ratio(m(b, s, "ferry", cu), m(b, s, t, cu))),
            (t == "direct" ? "–" : ratio(m(b, s, "ferry", "rss"), m(b, s, t, "rss")))
        }
        print ""
      } else {
        print "ferry: not available, so no ratios."
        print ""
      }
    }
  }
}
