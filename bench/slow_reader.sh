#!/usr/bin/env bash
# Memory under a slow reader: streams GIB GiB (default 10) from `ferry greeter` through `ferry serve` to one
# reader that reads far slower than the backend sends, samples ferry's resident memory once a second, and writes
# bench/RESULTS-slow-reader.md with a PASS/FAIL line against "flat within 10%". See bench/README.md.
#
#   bench/slow_reader.sh [--out FILE]
#
# Environment: GIB (10), RATE (curl --limit-rate, 32M), REF_MIB (512: an unthrottled call of that size, twice,
# before the slow one, warming the JIT up and giving the rate the reader is compared with; 0 skips it), SLOW_WARM_MIB
# (1024: a slow call of that size before the measured one, so that the JIT has compiled the paths a slow reader
# exercises; 0 skips it), LOADGEN_CPUS (0), SERVER_CPUS (1), FERRY_JAVA_OPTS (passed to both JVMs; with
# -XX:NativeMemoryTracking=summary the report adds jcmd's native memory summaries), KEEP_WORK=1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
gib="${GIB:-10}"
rate="${RATE:-32M}"
ref_mib="${REF_MIB:-512}"
slow_warm_mib="${SLOW_WARM_MIB:-1024}"
loadgen_cpus="${LOADGEN_CPUS:-0}"
server_cpus="${SERVER_CPUS:-1}"
out="$here/RESULTS-slow-reader.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "slow_reader.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
settings="GIB=$gib RATE=$rate REF_MIB=$ref_mib SLOW_WARM_MIB=$slow_warm_mib"
for v in LOADGEN_CPUS SERVER_CPUS FERRY_JAVA_OPTS; do
  if [ -n "${!v:-}" ]; then settings="$settings $v='${!v}'"; fi
done
command_line="$settings bench/slow_reader.sh"
if [ "$out" != "$here/RESULTS-slow-reader.md" ]; then command_line="$command_line --out $out"; fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for tool in curl taskset setsid ss java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "slow_reader.sh: '$tool' is missing (apt-get install -y curl util-linux iproute2 openjdk-17-jdk-headless maven)" >&2; exit 1; }
done
if [ "$(nproc)" -lt 2 ]; then
  log "warning: fewer than 2 cores; reader and servers share a core"
  loadgen_cpus=0; server_cpus=0
fi
if [ ! -f "$repo/cli/target/ferry.jar" ]; then
  log "building ferry (mvn -q package -DskipTests)"
  (cd "$repo" && mvn -B -q package -DskipTests)
fi

# ---------------------------------------------------------------------------------------------------------------
# Processes: each server in its own process group (setsid), measured and stopped as one unit.
# ---------------------------------------------------------------------------------------------------------------
work="$(mktemp -d /tmp/ferry-slow-reader.XXXXXX)"
# shellcheck source=processes.sh
. "$here/processes.sh"

# wait_line NAME PGID PATTERN: waits (60 s at most) until the server's log has a line matching PATTERN.
wait_line() {
  local i
  for i in $(seq 600); do
    grep -q "$3" "$work/$1.log" 2>/dev/null && return 0
    kill -0 -- "-$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "slow_reader.sh: $1 did not start:" >&2; tail -5 "$work/$1.log" >&2; exit 1
}

# The JVM of a group: the launcher execs java, so it is the group's java process.
group_java_pid() {
  local p
  for p in $(group_pids "$1"); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] && { echo "$p"; return 0; }
  done
  echo "$1"
}

# socket_bytes: "U D" where U is what ferry has read from its upstream connections (bytes received minus what waits
# in its receive queues) and D what it has handed to the kernel towards the reader (bytes acked plus its send
# queues). U - D is what sits inside ferry's process; HTTP/2 framing differs a little on the two sides.
socket_bytes() {
  local up down
  up=$(ss -tinH state established "( dport = :$backend_port )" | awk '
    /^[0-9]/ { q += $1; next }
    { for (i = 1; i <= NF; i++) if ($i ~ /^bytes_received:/) { split($i, a, ":"); r += a[2] } }
    END { printf "%.0f", r - q }')
  down=$(ss -tinH state established "( sport = :$ferry_port )" | awk '
    /^[0-9]/ { q += $2; n++; next }
    { for (i = 1; i <= NF; i++) if ($i ~ /^bytes_acked:/) { split($i, a, ":"); s += a[2] } }
    END { if (n > 0) printf "%.0f", s + q; else print "-" }')
  echo "${up:-0} ${down:--}"
}

# jit_ticks PID: CPU clock ticks the JVM's JIT compiler threads have used, to tell compiler arenas from traffic
# when the RSS moves.
jit_ticks() {
  local t f total=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in C1\ Compiler* | C2\ Compiler*) ;; *) continue ;; esac
    stat_fields "$t/stat" || continue
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# ---------------------------------------------------------------------------------------------------------------
# The request: HelloRequest{name: 64 KiB of 'x'} (gRPC prefix 00 00010004, tag 0a, varint(65536) = 80 80 04). The
# greeter answers reply i of N with "Hello, <name>! (i/N)": a frame of 5 + 1 + 3 + 65548 + digits(i) + digits(N)
# bytes, so N is chosen for GIB GiB and the exact total is known in advance.
# ---------------------------------------------------------------------------------------------------------------
{ printf '\x00\x00\x01\x00\x04\x0a\x80\x80\x04'; head -c 65536 /dev/zero | tr '\0' x; } >"$work/stream.req"
expected_bytes() {
  awk -v n="$1" 'BEGIN { dn = length(n ""); t = 0
    d = 1; lo = 1
    while (lo <= n) { hi = lo * 10 - 1; if (hi > n) hi = n; t += (hi - lo + 1) * d; d++; lo *= 10 }
    printf "%.0f", n * (65557 + dn) + t }'
}
count_for_mib() { awk -v m="$1" 'BEGIN { printf "%d", (m * 1048576 + 65562) / 65563 }'; }
count=$(count_for_mib "$((gib * 1024))")
total=$(expected_bytes "$count")

# read_stream N RATE OUTFILE: one SayHelloStreamReply of N replies through ferry on the reader's core; curl writes
# the size, time and speed to OUTFILE.w and the response headers and trailers to OUTFILE.h.
read_stream() {
  local limit=()
  if [ -n "$2" ]; then limit=(--limit-rate "$2"); fi
  taskset -c "$loadgen_cpus" curl -sS --http2-prior-knowledge "${limit[@]}" -H 'content-type: application/grpc' \
    -H 'te: trailers' -H "x-stream-count: $1" --data-binary @"$work/stream.req" -D "$3.h" -o /dev/null \
    -w '%{size_download} %{time_total} %{speed_download} %{http_code}\n' \
    "http://127.0.0.1:$ferry_port/helloworld.Greeter/SayHelloStreamReply" >"$3.w" 2>"$3.err"
}
grpc_status() { tr -d '\r' <"$1.h" | awk -F': ' '$1 == "grpc-status" { s = $2 } END { print (s == "" ? "none" : s) }'; }

# ---------------------------------------------------------------------------------------------------------------
# The run.
# ---------------------------------------------------------------------------------------------------------------
start greeter "$repo/ferry" greeter --port 0 --quiet
greeter_pgid=$started
wait_line greeter "$greeter_pgid" 'listening on'
backend_port=$(grep -m1 -o 'listening on 127.0.0.1:[0-9]*' "$work/greeter.log" | sed 's/.*://')
start ferry "$repo/ferry" serve --listen 127.0.0.1:0 --route "/=127.0.0.1:$backend_port"
ferry_pgid=$started
wait_line ferry "$ferry_pgid" '^ready'
ferry_port=$(grep -m1 -o 'listening on 127.0.0.1:[0-9]*' "$work/ferry.log" | sed 's/.*://')
ferry_java=$(group_java_pid "$ferry_pgid")
log "greeter on 127.0.0.1:$backend_port, ferry serve on 127.0.0.1:$ferry_port (pid $ferry_java)"

ref_line="not run (REF_MIB=0)"
if [ "$ref_mib" -gt 0 ]; then
  ref_count=$(count_for_mib "$ref_mib")
  log "unthrottled reference: $ref_count replies (~$ref_mib MiB), twice; the first warms the JIT up"
  read_stream "$ref_count" "" "$work/ref" || true
  read_stream "$ref_count" "" "$work/ref" || true
  read -r rsize rtime rspeed _ <"$work/ref.w" || true
  ref_line=$(awk -v b="${rsize:-0}" -v t="${rtime:-0}" -v s="${rspeed:-0}" -v st="$(grpc_status "$work/ref")" \
    'BEGIN { printf "%.1f MB/s (%.0f MiB in %.2f s, grpc-status %s)", s / 1e6, b / 1048576, t, st }')
  log "unthrottled reference: $ref_line"
fi

# The measured call's first minutes compiled flow-control paths that a reader keeping up never takes, and the
# compiler's arenas showed as RSS spikes of ~10%: a slow call first lets the JIT finish before the measurement.
if [ "$slow_warm_mib" -gt 0 ]; then
  log "slow warm-up: $(count_for_mib "$slow_warm_mib") replies (~$slow_warm_mib MiB) at curl --limit-rate $rate"
  read_stream "$(count_for_mib "$slow_warm_mib")" "$rate" "$work/warm" || true
fi

nmt=0
if [[ "${FERRY_JAVA_OPTS:-}" == *NativeMemoryTracking=summary* || "${FERRY_JAVA_OPTS:-}" == *NativeMemoryTracking=detail* ]]; then
  nmt=1
fi
read -r up0 down0 <<<"$(socket_bytes)"
# The unthrottled calls' connections are closed by now; a reader's socket that is gone keeps its last count.
if [ "$down0" = - ]; then down0=0; fi
last_down=$down0
jit0=$(jit_ticks "$ferry_java")
tick_ms=$((1000 / $(getconf CLK_TCK)))
samples="$work/samples.tsv"
: >"$samples"
log "slow reader: $count replies ($total bytes) at curl --limit-rate $rate"
read_stream "$count" "$rate" "$work/slow" &
client_pid=$!
t0=$EPOCHREALTIME
nmt_ref_done=0
# One sample a second until the reader is done: seconds, bytes handed to the reader, bytes read from upstream,
# ferry's RSS KiB, the greeter's RSS KiB, ferry's JIT compiler CPU ms so far.
while kill -0 "$client_pid" 2>/dev/null; do
  tick=$EPOCHREALTIME
  read -r up down <<<"$(socket_bytes)"
  if [ "$down" = - ]; then down=$last_down; else last_down=$down; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(awk -v a="$t0" -v b="$tick" 'BEGIN { printf "%.1f", b - a }')" \
    "$((down - down0))" "$((up - up0))" "$(group_status_kb "$ferry_pgid" VmRSS)" \
    "$(group_status_kb "$greeter_pgid" VmRSS)" "$((($(jit_ticks "$ferry_java") - jit0) * tick_ms))" >>"$samples"
  if [ "$nmt" = 1 ] && [ "$nmt_ref_done" = 0 ] && [ $((down - down0)) -ge $((total / 10)) ]; then
    jcmd "$ferry_java" VM.native_memory summary >"$work/nmt-10.txt" 2>&1 || true
    nmt_ref_done=1
  fi
  sleep "$(awk -v a="$tick" -v b="$EPOCHREALTIME" 'BEGIN { d = 1 - (b - a); print (d > 0 ? d : 0) }')"
done
wait "$client_pid" || log "curl failed: $(cat "$work/slow.err")"
client_pid=""
hwm_kb=$(group_status_kb "$ferry_pgid" VmHWM)
jcmd "$ferry_java" GC.heap_info >"$work/heap.txt" 2>&1 || true
if [ "$nmt" = 1 ]; then jcmd "$ferry_java" VM.native_memory summary >"$work/nmt-end.txt" 2>&1 || true; fi
read -r size time_total speed http_code <"$work/slow.w" || true
status=$(grpc_status "$work/slow")
log "slow reader: ${size:-0} bytes in ${time_total:-?} s, HTTP ${http_code:-?}, grpc-status $status"

# ---------------------------------------------------------------------------------------------------------------
# RESULTS-slow-reader.md
# ---------------------------------------------------------------------------------------------------------------
# The reference: the median of the samples taken between 5% and 15% of the stream (after the warm-up; one sample
# would catch the JVM's RSS, which swings by some 20 MiB as GC and the native-heap trim run, at a high or a low).
# The rest: every sample after the 10% point. Printed: t and RSS of the 10% sample, the reference, the number of
# window samples, then min, median, max, last and count of the rest.
stats=$(awk -F'\t' -v tot="$total" '
  function median(a, n,   i, j, x) {
    for (i = 1; i <= n; i++) for (j = i; j > 1 && a[j] < a[j-1]; j--) { x = a[j]; a[j] = a[j-1]; a[j-1] = x }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  $2 >= tot * 0.05 && $2 < tot * 0.15 { w[++nw] = $4 }
  $2 >= tot * 0.10 && at == "" { at = $4; att = $1; next }
  at != "" { v[++n] = $4; last = $4 }
  END {
    if (at == "" || n == 0) { print "none"; exit }
    if (nw == 0) w[++nw] = at
    ref = median(w, nw); med = median(v, n)
    printf "%s %s %s %d %s %s %s %s %d\n", att, at, ref, nw, v[1], med, v[n], last, n }' "$samples")
ferry_commit="$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(cd "$repo" && git status --porcelain -- . ':!bench' 2>/dev/null)" ]; then
  ferry_commit="$ferry_commit (with local changes)"
fi
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
{
  echo "# ferry under a slow reader: memory while $gib GiB stream through"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"\
    "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r);"\
    "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- versions: ferry $ferry_commit; $(java -version 2>&1 | head -1); $(curl --version | head -1 | cut -d' ' -f1-2)"
  echo "- ferry JVM flags: the \`./ferry serve\` launcher's, then FERRY_JAVA_OPTS=${FERRY_JAVA_OPTS:-}"
  echo "- pinning: reader (curl) on CPU $loadgen_cpus; ferry serve and ferry greeter on CPU $server_cpus"
  echo "- command: \`$command_line\`"
  echo "- topology: \`ferry greeter --port 0 --quiet\` ← \`ferry serve --listen 127.0.0.1:0 --route /=127.0.0.1:BACKEND\`"\
    "← one call \`helloworld.Greeter/SayHelloStreamReply\`, 64 KiB name, \`x-stream-count: $count\`:"\
    "$count replies of about 64 KiB"
  echo "- reader: \`curl --http2-prior-knowledge --limit-rate $rate -H 'content-type: application/grpc' -H 'te: trailers'"\
    "-H 'x-stream-count: $count' --data-binary @stream.req -o /dev/null\`; it read at"\
    "$(awk -v s="${speed:-0}" 'BEGIN { printf "%.1f MB/s", s / 1e6 }') on average"
  echo "- the same call unthrottled (a reader that keeps up), just before, the second of two: $ref_line"
  echo "- bytes delivered: ${size:-0} of $total expected ($(awk -v b="${size:-0}" 'BEGIN { printf "%.3f GiB", b / 1073741824 }'));"\
    "HTTP ${http_code:-?}, grpc-status $status; duration $(awk -v t="${time_total:-0}" 'BEGIN { printf "%.1f s", t }')"
  echo
  if [ "$stats" = none ]; then
    echo "**FAIL: no samples after 10% of the stream; the call did not get that far.**"
  else
    read -r att at ref nw mn med mx last n <<<"$stats"
    ratio=$(awk -v a="$mx" -v b="$ref" 'BEGIN { printf "%.3f", a / b }')
    ratio_at=$(awk -v a="$mx" -v b="$at" 'BEGIN { printf "%.3f", a / b }')
    verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.10 ? "PASS" : "FAIL") }')
    if [ "${size:-0}" != "$total" ] || [ "$status" != 0 ]; then verdict="FAIL (the stream did not complete)"; fi
    echo "## ferry's resident memory (VmRSS of the \`ferry serve\` process group)"
    echo
    echo "| at 10% of the stream (t=${att} s) | reference: median from 5% to 15% | min | median | max | last |"\
      "max ÷ reference | max ÷ the 10% sample |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "| $(mib "$at") MiB | $(mib "$ref") MiB ($nw samples) | $(mib "$mn") MiB | $(mib "$med") MiB | $(mib "$mx") MiB |"\
      "$(mib "$last") MiB | $ratio | $ratio_at |"
    echo
    echo "min, median, max and last over the $n samples after the 10% point (one a second). The reference is a median"\
      "rather than the single sample at 10% because a JVM's RSS moves by several MiB from one second to the next as"\
      "the JIT's arenas, GC and the native-heap trim come and go. Peak (VmHWM) over the whole run, the unthrottled"\
      "reference calls included: $(mib "$hwm_kb") MiB."
    echo
    echo "**$verdict**: flat within 10% means max ÷ reference ≤ 1.10 (the max of the rest at most 10% above the RSS"\
      "around 10% of the stream), and the whole stream arrived with grpc-status 0."
  fi
  echo
  echo "## Samples (one line per 5 s)"
  echo
  echo "Per 5-second window: the bytes so far (end of the window), what is in flight inside ferry, the lowest and"\
    "highest of ferry's RSS samples in the window, the greeter's RSS, and the CPU time ferry's JIT compiler threads"\
    "used in the window. In flight = bytes ferry has read from the backend − bytes it has handed to the reader's"\
    "socket, both from \`ss -ti\` (HTTP/2 framing differs slightly on the two sides, so a drift of a MiB or two is"\
    "not buffering); if flow control did not reach the backend, it would grow at the backend's rate minus the reader's."
  echo
  echo '```'
  printf '%7s %12s %12s %10s %17s %12s %8s\n' "t s" "to reader" "from backend" "in flight" "ferry RSS" \
    "greeter RSS" "JIT ms"
  awk -F'\t' '
    function flush(tag) {
      printf "%7.1f %9.1f MiB %9.1f MiB %6.1f MiB %6.1f-%6.1f MiB %8.1f MiB %8d%s\n", t, d / 1048576, u / 1048576,
        (u - d) / 1048576, lo / 1024, hi / 1024, g / 1024, j - j0, tag
      j0 = j; lo = ""; hi = ""
    }
    NR > 1 && int($1 / 5) != w { flush("") }
    { w = int($1 / 5); t = $1; d = $2; u = $3; g = $5; j = $6
      if (lo == "" || $4 < lo) lo = $4; if (hi == "" || $4 > hi) hi = $4 }
    END { if (NR > 0) flush("  (last)") }' "$samples"
  echo '```'
  echo
  echo "## ferry's heap at the end (\`jcmd PID GC.heap_info\`)"
  echo
  echo '```'
  grep -v '^[0-9]*:$' "$work/heap.txt" | head -12
  echo '```'
  if [ "$nmt" = 1 ]; then
    for f in nmt-10 nmt-end; do
      echo
      echo "## Native memory, $([ $f = nmt-10 ] && echo 'at 10% of the stream' || echo 'at the end') (\`jcmd PID VM.native_memory summary\`)"
      echo
      echo '```'
      grep -E '^(Total|-  *[A-Za-z ]+ \(reserved)' "$work/$f.txt" 2>/dev/null || echo "not available"
      echo '```'
    done
  fi
} >"$out"
log "wrote $out"
