#!/usr/bin/env bash
# The side-by-side benchmark: the same gRPC load through nothing (direct), nginx grpc_pass, HAProxy, nghttpx and
# ferry, interleaved round by round, on pinned cores; writes bench/RESULTS.md. See bench/README.md.
#
#   bench/run.sh [--quick] [--rounds N] [--backends "canned greeter"] [--targets "direct nginx ..."]
#                [--scenarios "unary_small ... cold"] [--out FILE]
#
# Environment: ROUNDS, DURATION, WARMUP (seconds), LOADGEN_CPUS (default 0), SERVER_CPUS (default 1),
# FERRY_JAVA_OPTS (JVM flags for ferry and its greeter), FERRY_SERVE_ARGS, GREETER_ARGS, FERRY_CALL_ARGS (how
# ferry is started and the `ferry call` load-mode slot), PROXY_WINDOW. See bench/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
command_line="bench/run.sh"
if [ $# -gt 0 ]; then command_line="$command_line$(printf ' %q' "$@")"; fi

quick=0
rounds="${ROUNDS:-}"
duration="${DURATION:-}"
warmup="${WARMUP:-}"
backends="${BACKENDS:-canned greeter}"
targets="${TARGETS:-direct nginx haproxy nghttpx ferry}"
scenarios="${SCENARIOS:-unary_small unary_1mb stream many_clients call_small web_small cold}"
out="${OUT:-$here/RESULTS.md}"
loadgen_cpus="${LOADGEN_CPUS:-0}"
server_cpus="${SERVER_CPUS:-1}"
# ferry runs with the ./ferry launcher's flags (serve's are chosen for a server); FERRY_JAVA_OPTS adds to them.
export FERRY_JAVA_OPTS="${FERRY_JAVA_OPTS:-}"
# The call_small scenario: `ferry call`'s load mode as the load generator, with unary_small's 64 calls in flight and
# its warm-up and duration; {addr} becomes the target's host:port, {warmup}/{duration} the seconds.
default_call_args='call --proto testservers/src/main/proto/helloworld.proto {addr} helloworld.Greeter/SayHello -d {"name":"world"} -c 64 --warmup {warmup}s --duration {duration}s'
ferry_call_args="${FERRY_CALL_ARGS:-$default_call_args}"
# How ferry and its greeter are started: {port} is the port to listen on, {backend} the backend's port.
default_serve_args='serve --listen 127.0.0.1:{port} --route /=127.0.0.1:{backend}'
ferry_serve_args="${FERRY_SERVE_ARGS:-$default_serve_args}"
# --quiet: the greeter prints a line per call otherwise, and the benchmark would measure its console.
default_greeter_args='greeter --port {port} --quiet'
greeter_args="${GREETER_ARGS:-$default_greeter_args}"
# FERRY_BIN: the launcher to run ferry with (another build, or a stand-in to test this script).
ferry_bin="${FERRY_BIN:-$repo/ferry}"
# FERRY_BASE_BIN: another build's launcher, run as the target `ferry-base` exactly as ferry is, so that a change is
# measured against the build before it in the same interleaved rounds (TARGETS="nghttpx ferry-base ferry").
ferry_base_bin="${FERRY_BASE_BIN:-}"
# COLD_WINDOW (seconds): the cold scenario counts the calls of a fresh instance's first and second window this long.
cold_window="${COLD_WINDOW:-2}"
# PROXY_WINDOW (bytes): if set, the HTTP/2 stream windows nginx, HAProxy and nghttpx advertise; else their defaults.
proxy_window="${PROXY_WINDOW:-}"

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --rounds) rounds="$2"; shift ;;
    --backends) backends="$2"; shift ;;
    --targets) targets="$2"; shift ;;
    --scenarios) scenarios="$2"; shift ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  rounds="${rounds:-1}"; duration="${duration:-2}"; warmup="${warmup:-1}"; prewarm="${PREWARM:-1}"
  prewarm_connects="${PREWARM_CONNECTS:-2}"
  many_clients_bursts="${MANY_CLIENTS_BURSTS:-2}"
  alloc_calls="${ALLOC_CALLS:-20000}"
else
  rounds="${rounds:-3}"; duration="${duration:-10}"; warmup="${warmup:-3}"; prewarm="${PREWARM:-10}"
  prewarm_connects="${PREWARM_CONNECTS:-20}"
  many_clients_bursts="${MANY_CLIENTS_BURSTS:-5}"
  alloc_calls="${ALLOC_CALLS:-200000}"
fi
# The settings that shape the figures, for RESULTS.md's command line.
settings="ROUNDS=$rounds DURATION=$duration WARMUP=$warmup PREWARM=$prewarm PREWARM_CONNECTS=$prewarm_connects MANY_CLIENTS_BURSTS=$many_clients_bursts"
settings="$settings ALLOC_CALLS=$alloc_calls"
for v in BACKENDS TARGETS SCENARIOS COLD_WINDOW IDLE_CLIENTS LOADGEN_CPUS SERVER_CPUS PROXY_WINDOW FERRY_BIN FERRY_BASE_BIN FERRY_SERVE_ARGS GREETER_ARGS FERRY_CALL_ARGS; do
  if [ -n "${!v:-}" ]; then settings="$settings $v='${!v}'"; fi
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------------------------------------------------------
# Tools: install from Debian's packages what is missing, with one apt-get update.
# ---------------------------------------------------------------------------------------------------------------
ensure_tools() {
  local missing=() pair
  for pair in nginx:nginx haproxy:haproxy h2load:nghttp2-client nghttp:nghttp2-client nghttpx:nghttp2-proxy \
      nghttpd:nghttp2-server taskset:util-linux setsid:util-linux ps:procps java:openjdk-17-jdk-headless \
      mvn:maven git:git python3:python3; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local pkgs
  pkgs="$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  if [ "$(id -u)" != 0 ]; then
    echo "run.sh: missing packages: $pkgs; run as root or install them with apt-get" >&2
    exit 1
  fi
  log "installing $pkgs"
  apt-get update -qq
  # policy-rc.d or not, the packaged services must not start: the benchmark runs its own instances.
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
  local svc
  for svc in nginx haproxy; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q "$svc" 2>/dev/null; then
      systemctl stop "$svc" || true
    fi
  done
}

# build_ferry: builds the jar if it is missing or older than any source or pom, so no stale ferry gets measured.
build_ferry() {
  local jar="$repo/cli/target/ferry.jar"
  if [ -n "${FERRY_BIN:-}" ]; then return 0; fi
  if [ -f "$jar" ] && [ -z "$(cd "$repo" && find . -path ./bench -prune -o \( -path '*/src/*' -o -name pom.xml \) \
      -newer "$jar" -type f -print 2>/dev/null | grep -v /target/ | head -1)" ]; then
    return 0
  fi
  log "building ferry (mvn -q package -DskipTests)"
  (cd "$repo" && mvn -B -q package -DskipTests) >"$work/mvn.log" 2>&1 || log "ferry build failed: see $work/mvn.log"
}

# ---------------------------------------------------------------------------------------------------------------
# Processes: every server runs in its own process group (setsid), so it is measured and stopped as one unit.
# ---------------------------------------------------------------------------------------------------------------
work="$(mktemp -d /tmp/ferry-bench.XXXXXX)"
# shellcheck source=processes.sh
. "$here/processes.sh"
# shellcheck source=cold_windows.sh
. "$here/cold_windows.sh"

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port: a port on 127.0.0.1 nobody listens on, from a range no ephemeral port comes from.
next_port=$((20000 + RANDOM % 10000))
free_port() {
  while port_answers "$next_port"; do next_port=$((next_port + 1)); done
  echo "$next_port"; next_port=$((next_port + 1))
}

# wait_port PORT PGID SECONDS: true once PORT accepts connections, false if the group died or time ran out.
wait_port() {
  local port=$1 g=$2 deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    port_answers "$port" && return 0
    kill -0 -- "-$g" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------------------------------------------------------
# Payloads: gRPC-framed HelloRequest/HelloReply messages (5-byte prefix: flag 0, big-endian length; then protobuf
# field 1, wire type 2: tag 0x0a, varint length, bytes). Sizes are fixed so the varints can be written by hand.
# ---------------------------------------------------------------------------------------------------------------
x_bytes() { head -c "$1" /dev/zero | tr '\0' x; }

make_payloads() {
  local d="$work/payload" root="$work/docroot/helloworld.Greeter"
  mkdir -p "$d" "$root"
  # HelloRequest{name:"world"}: 7 protobuf bytes.
  printf '\x00\x00\x00\x00\x07\x0a\x05world' >"$d/small.req"
  # HelloReply{message:"Hello, world!"}: 15 protobuf bytes.
  printf '\x00\x00\x00\x00\x0f\x0a\x0dHello, world!' >"$root/SayHello"
  # 1 MiB string: varint(1048576) = 80 80 40; protobuf 1048580 bytes = 0x00100004. Request and reply alike.
  { printf '\x00\x00\x10\x00\x04\x0a\x80\x80\x40'; x_bytes 1048576; } >"$d/1mb.req"
  cp "$d/1mb.req" "$root/SayHelloAgain"
  # 64 KiB string: varint(65536) = 80 80 04; protobuf 65540 bytes = 0x00010004. The stream is 1024 such replies.
  { printf '\x00\x00\x01\x00\x04\x0a\x80\x80\x04'; x_bytes 65536; } >"$d/64k.msg"
  cp "$d/64k.msg" "$d/stream.req"
  local i
  for i in $(seq 1024); do cat "$d/64k.msg"; done >"$root/SayHelloStreamReply"
}

# ---------------------------------------------------------------------------------------------------------------
# The proxies, each configured as a fair operator would: one worker on the server core, upstream connections kept
# alive and multiplexed, no access log, request bodies of any size.
# ---------------------------------------------------------------------------------------------------------------
start_backend() { # backend -> sets backend_port, backend_pgid; false if it does not start
  local kind=$1
  backend_port=$(free_port)
  case "$kind" in
    canned)
      # -w/-W: large windows so that the backend never throttles an uploading proxy; -m: room for many streams.
      start backend-canned nghttpd --no-tls --trailer 'grpc-status: 0' -a 127.0.0.1 -d "$work/docroot" \
        -w 24 -W 24 -m 1024 "$backend_port" ;;
    greeter)
      local argv
      read -r -a argv <<<"${greeter_args//\{port\}/$backend_port}"
      start backend-greeter "$ferry_bin" "${argv[@]}" ;;
  esac
  backend_pgid=$started
  wait_port "$backend_port" "$backend_pgid" 60
}

write_nginx_conf() { # listen_port backend_port dir
  local d=$3
  mkdir -p "$d"
  cat >"$d/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
worker_rlimit_nofile $(ulimit -n);
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $d/body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
  client_max_body_size 0;
  client_body_buffer_size 1m;
  # nginx closes a client connection (HTTP/2 included, since 1.19.7) after 1000 requests by default.
  keepalive_requests 100000000;
${proxy_window:+  http2_body_preread_size $proxy_window;}
  upstream backend {
    server 127.0.0.1:$2;
    keepalive 1024;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
  }
  server {
    listen 127.0.0.1:$1 http2 backlog=4096;
    location / {
      grpc_pass grpc://backend;
      grpc_read_timeout 300s;
      grpc_send_timeout 300s;
    }
  }
}
EOF
}

write_haproxy_conf() { # listen_port backend_port file
  cat >"$3" <<EOF
global
  nbthread 1
  # HAProxy wants 2 fds per connection; 8000 fits the common hard limit of 20000 and leaves room for 1,000 clients.
  maxconn 8000
${proxy_window:+  tune.h2.initial-window-size $proxy_window}
defaults
  mode http
  timeout connect 5s
  timeout client 300s
  timeout server 300s
frontend grpc
  bind 127.0.0.1:$1 proto h2 backlog 4096
  default_backend backend
backend backend
  http-reuse always
  server canned 127.0.0.1:$2 proto h2
EOF
}

start_target() { # target [name] -> sets target_port, target_pgid; false if not available
  # name (default: the target) names its log and configuration in $work, so that a second instance has its own.
  local t=$1 name=${2:-$1}
  target_pgid=""
  if [ "$t" = direct ]; then target_port=$backend_port; target_pgid=""; return 0; fi
  target_port=$(free_port)
  case "$t" in
    nginx)
      write_nginx_conf "$target_port" "$backend_port" "$work/$name"
      start "$name" nginx -e "$work/$name/error.log" -p "$work/$name" -c "$work/$name/nginx.conf" ;;
    haproxy)
      write_haproxy_conf "$target_port" "$backend_port" "$work/$name.cfg"
      start "$name" haproxy -db -f "$work/$name.cfg" ;;
    nghttpx)
      : >"$work/$name.conf"
      local windows=()
      if [ -n "$proxy_window" ]; then
        windows=(--frontend-http2-window-size="$proxy_window" --backend-http2-window-size="$proxy_window"
          --frontend-http2-connection-window-size=$((proxy_window * 16))
          --backend-http2-connection-window-size=$((proxy_window * 16)))
      fi
      start "$name" nghttpx --conf="$work/$name.conf" --workers=1 --log-level=WARN "${windows[@]}" \
        --frontend="127.0.0.1,$target_port;no-tls" --backend="127.0.0.1,$backend_port;;proto=h2" ;;
    ferry)
      local args argv
      args=${ferry_serve_args//\{port\}/$target_port}
      read -r -a argv <<<"${args//\{backend\}/$backend_port}"
      start "$name" "$ferry_bin" "${argv[@]}" ;;
    ferry-base)
      [ -n "$ferry_base_bin" ] || { echo "ferry-base: FERRY_BASE_BIN is not set" >"$work/$name.log"; return 1; }
      local args argv
      args=${ferry_serve_args//\{port\}/$target_port}
      read -r -a argv <<<"${args//\{backend\}/$backend_port}"
      start "$name" "$ferry_base_bin" "${argv[@]}" ;;
  esac
  target_pgid=$started
  wait_port "$target_port" "$target_pgid" 60
}

# why NAME: the first line of a server's log that looks like a reason, for a "not available" note.
why() {
  local line
  line=$(grep -m1 -iE 'error|alert|emerg|unknown|unmatched|not built|exception|fail|cannot|refused' \
    "$work/$1.log" 2>/dev/null || true)
  [ -n "$line" ] || line=$(grep -m1 . "$work/$1.log" 2>/dev/null || true)
  echo "${line:-it started but did not answer SayHello with grpc-status 0}" | cut -c1-160
}

# check_call PORT: one SayHello through the target must end with grpc-status 0 and carry a reply.
check_call() {
  local out
  out=$(timeout 10 nghttp -v --no-dep -d "$work/payload/small.req" -H 'content-type: application/grpc' \
    -H 'te: trailers' "http://127.0.0.1:$1/helloworld.Greeter/SayHello" 2>&1 | tr -d '\0') || true
  grep -q 'grpc-status: 0' <<<"$out" && grep -q 'Hello, world!' <<<"$out"
}

# ---------------------------------------------------------------------------------------------------------------
# Scenarios: h2load arguments per scenario. Paths are chosen so that the canned backend serves the right file and
# ferry's greeter runs the matching method (SayHelloAgain answers a 1 MiB name with a 1 MiB greeting;
# SayHelloStreamReply sends x-stream-count replies of the 64 KiB name).
# ---------------------------------------------------------------------------------------------------------------
scenario_args() {
  local timed=(-D "${2:-$duration}" --warm-up-time "$warmup")
  case "$1" in
    unary_small | web_small) echo "-c 8 -m 8 ${timed[*]} -d $work/payload/small.req /helloworld.Greeter/SayHello" ;;
    unary_1mb) echo "-c 4 -m 2 ${timed[*]} -d $work/payload/1mb.req /helloworld.Greeter/SayHelloAgain" ;;
    stream) echo "-c 2 -m 1 ${timed[*]} -d $work/payload/stream.req -H x-stream-count:1024 /helloworld.Greeter/SayHelloStreamReply" ;;
    many_clients) echo "-c 1000 -m 1 -n 5000 -d $work/payload/small.req /helloworld.Greeter/SayHello" ;;
  esac
}

# rotate "A B C" K: the words, starting at the (K mod count)th: "B C A" for K=1.
rotate() {
  local -a words
  read -r -a words <<<"$1"
  local k=$(($2 % ${#words[@]}))
  echo "${words[*]:k} ${words[*]:0:k}"
}

# content_type SCENARIO: what h2load's requests say they are. web_small: unary_small's calls in gRPC-Web, which
# ferry bridges to the backend's gRPC.
content_type() {
  if [ "$1" = web_small ]; then echo application/grpc-web+proto; else echo application/grpc; fi
}

# p50/p99 in ms from an h2load --log-file (third column: microseconds until the end of the response).
percentiles() {
  cut -f3 "$1" | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- -"; exit }
    i50 = int(NR * 0.50 + 0.5); if (i50 < 1) i50 = 1
    i99 = int(NR * 0.99 + 0.5); if (i99 < 1) i99 = 1; if (i99 > NR) i99 = NR
    printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }'
}

tick_hz=$(getconf CLK_TCK)

# measure BACKEND SCENARIO TARGET ROUND PORT: one h2load run (for call_small, one `ferry call` load run); appends
# a row to $raw.
measure() {
  local backend=$1 scenario=$2 target=$3 round=$4 port=$5 args path
  if [ "$scenario" = call_small ]; then measure_call "$@"; return; fi
  read -r -a args <<<"$(scenario_args "$scenario")"
  path=${args[-1]}; unset 'args[-1]'
  local hlog="$work/h2load.log" hout="$work/h2load.out"
  rm -f "$hlog"
  local groups_measured=("${target_pgid:-}" "$backend_pgid")
  local g
  for g in "${groups_measured[@]}"; do
    if [ -n "$g" ]; then group_reset_peak_rss "$g"; fi
  done
  # many_clients is one burst of well under a second, whose figure swung by a third between rounds; it is run
  # $many_clients_bursts times back to back and counted as one run (calls and seconds summed).
  local bursts=1
  if [ "$scenario" = many_clients ]; then bursts=$many_clients_bursts; fi
  (
    for ((b = 1; b <= bursts; b++)); do
      taskset -c "$loadgen_cpus" h2load -t 1 "${args[@]}" -H "content-type: $(content_type "$scenario")" \
        -H 'te: trailers' --log-file="$hlog.$b" "http://127.0.0.1:$port$path" || true
    done
  ) >"$hout" 2>&1 &
  client_pid=$!
  # CPU is counted over the measured phase only: after the warm-up, until h2load ends.
  if [[ " ${args[*]} " == *" --warm-up-time "* ]]; then sleep "$warmup"; fi
  # For direct, the "proxy" columns describe the backend itself, so that the row still says what a call costs.
  local measured=${target_pgid:-$backend_pgid}
  local p0 b0 p1 b1 rss
  p0=$(group_cpu_ticks "$measured")
  b0=$(group_cpu_ticks "$backend_pgid")
  wait "$client_pid" || true
  client_pid=""
  p1=$(group_cpu_ticks "$measured")
  b1=$(group_cpu_ticks "$backend_pgid")
  rss=$(group_status_kb "$measured" VmHWM)
  cat "$hlog".* >"$hlog" 2>/dev/null || true
  rm -f "$hlog".*
  # h2load prints "finished in 3.00s, 46762.00 req/s, 2.63MB/s" (the time includes the warm-up, and so do the
  # traffic bytes; requests and req/s count the measured phase only), "requests: N total, N started, N done, N
  # succeeded, N failed, N errored, N timeout", "status codes: N 2xx, N 3xx, N 4xx, N 5xx" and
  # "traffic: ... 2.78MB (2918640) data".
  local rps ndone bad data total_s main_s pct
  # With several bursts, each figure is the sum over them, and calls/s is calls over seconds.
  rps=$(awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^req\/s/) print $i }' "$hout")
  total_s=$(awk '/^finished in/ { v = $3; sub(/,$/, "", v); f = 1
      if (v ~ /ms$/) f = 0.001; else if (v ~ /us$/) f = 0.000001; else if (v ~ /m$/) f = 60
      gsub(/[a-z]+$/, "", v); t += v * f } END { if (NR) printf "%.4f", t }' "$hout")
  ndone=$(awk '/^requests:/ { n += $6 } END { print n + 0 }' "$hout")
  bad=$(awk '/^requests:/ { e += $12 } /^status codes:/ { n += $5 + $7 + $9 } END { print e + n }' "$hout")
  data=$(awk '/^traffic:/ { for (i = 1; i <= NF; i++) if ($i ~ /^data/) { v = $(i-1); gsub(/[()]/, "", v); d += v } }
      END { print d + 0 }' "$hout")
  if [ "$bursts" -gt 1 ]; then
    rps=$(awk -v n="$ndone" -v t="${total_s:-0}" 'BEGIN { if (t > 0) printf "%.2f", n / t; else print 0 }')
  fi
  if [ -s "$hlog" ]; then pct=$(percentiles "$hlog"); else pct="- -"; fi
  if [[ " ${args[*]} " == *" -D "* ]]; then
    main_s=$duration
  else
    main_s=${total_s:-0}
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$scenario" "$target" \
    "$round" "${rps:-0}" "${total_s:-0}" "$main_s" "${data:-0}" "${ndone:-0}" "${bad:-0}" "${pct% *}" "${pct#* }" \
    "$(awk -v t=$((p1 - p0)) -v hz="$tick_hz" 'BEGIN { printf "%.2f", t / hz }')" \
    "$(awk -v t=$((b1 - b0)) -v hz="$tick_hz" 'BEGIN { printf "%.2f", t / hz }')" "$rss" >>"$raw"
  log "  $backend $scenario $target round $round: ${rps:-0} calls/s, ${ndone:-0} done, ${bad:-0} failed, p50/p99 ${pct} ms"
}

# measure_call BACKEND call_small TARGET ROUND PORT: `ferry call`'s load mode in place of h2load, with unary_small's
# calls in flight, warm-up and duration; appends a row to $raw. Its CPU columns stay empty: the JVM's start-up
# shifts the measured phase by a variable amount, and unary_small already gives each target's CPU per call.
measure_call() {
  local backend=$1 scenario=$2 target=$3 round=$4 port=$5 args argv report="$work/call.csv" g
  args=${ferry_call_args//\{addr\}/127.0.0.1:$port}
  args=${args//\{warmup\}/$warmup}
  args=${args//\{duration\}/$duration}
  read -r -a argv <<<"$args"
  for g in "${target_pgid:-}" "$backend_pgid"; do
    if [ -n "$g" ]; then group_reset_peak_rss "$g"; fi
  done
  rm -f "$report"
  taskset -c "$loadgen_cpus" timeout 300 "$ferry_bin" "${argv[@]}" --report csv "$report" >"$work/call.out" 2>&1 || true
  local rss
  rss=$(group_status_kb "${target_pgid:-$backend_pgid}" VmHWM)
  if [ ! -s "$report" ]; then
    log "  $backend $scenario $target round $round: ferry call failed: $(head -1 "$work/call.out")"
    return
  fi
  # The report's rows are "measure,value": calls, failed, seconds, calls_per_second, ..., p50_ms, p99_ms, ...
  local row
  row=$(awk -F, '{ v[$1] = $2 } END { printf "%s %s %s %s %s %s", v["calls_per_second"], v["seconds"], v["calls"],
      v["failed"], v["p50_ms"], v["p99_ms"] }' "$report")
  local rps main_s ndone bad p50 p99
  read -r rps main_s ndone bad p50 p99 <<<"$row"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$scenario" "$target" \
    "$round" "$rps" "$((warmup + duration))" "$main_s" 0 "$ndone" "$bad" "$p50" "$p99" - - "$rss" >>"$raw"
  log "  $backend $scenario $target round $round: $rps calls/s, $ndone done, $bad failed, p50/p99 $p50 $p99 ms"
}

# measure_cold BACKEND TARGET ROUND: starts a second, fresh instance of TARGET (no pre-warm, not even a check call),
# puts unary_small's load through it from the moment its port accepts connections, and from h2load's per-call log
# counts the calls completed in the first and the second $cold_window seconds after the first request, with the p99
# of each; one SayHello checks the instance afterwards. Appends a row to $cold_raw.
measure_cold() {
  local backend=$1 target=$2 round=$3 t0 ready hlog="$work/cold.log" hout="$work/cold.out" args path
  if [ "$target" = direct ]; then return 0; fi
  t0=$(date +%s%N)
  if ! start_target "$target" "cold-$target"; then
    log "  $backend cold $target round $round: did not start ($(why "cold-$target"))"
    if [ -n "$target_pgid" ]; then stop_group "$target_pgid"; fi
    return 0
  fi
  ready=$(( ($(date +%s%N) - t0) / 1000000 ))
  local cold_pgid=$target_pgid cold_port=$target_port
  read -r -a args <<<"$(scenario_args unary_small)"
  path=${args[-1]}; unset 'args[-1]'
  # unary_small's connections, streams and request, without its warm-up, for two windows and a second of slack.
  local load=()
  local i
  for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
      -D|--warm-up-time) i=$((i + 1)) ;;
      *) load+=("${args[$i]}") ;;
    esac
  done
  rm -f "$hlog"
  local p0 p1
  p0=$(group_cpu_ticks "$cold_pgid") # what starting up cost, until the port opened
  taskset -c "$loadgen_cpus" h2load -t 1 "${load[@]}" -D $((2 * cold_window + 1)) -H 'content-type: application/grpc' \
    -H 'te: trailers' --log-file="$hlog" "http://127.0.0.1:$cold_port$path" >"$hout" 2>&1 || true
  p1=$(group_cpu_ticks "$cold_pgid")
  local jit rss answers=1
  jit=$(group_jit_ticks "$cold_pgid") # how much of p1 the JIT's compiler threads took (empty: not a JVM)
  rss=$(group_status_kb "$cold_pgid" VmHWM)
  check_call "$cold_port" || answers=0
  stop_group "$cold_pgid"
  # Log rows: start (us since the epoch), status (-1: failed), microseconds to the end of the response.
  local row errored
  errored=$(awk '/^requests:/ { print $12 + 0 }' "$hout")
  row=$(cold_windows "$hlog" "$cold_window")
  local w1 p99a w2 p99b bad
  read -r w1 p99a w2 p99b bad <<<"$row"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$target" "$round" "$ready" "$w1" "$p99a" \
    "$w2" "$p99b" "$((bad + ${errored:-0}))" "$answers" \
    "$(awk -v t="$p0" -v hz="$tick_hz" 'BEGIN { printf "%.2f", t / hz }')" \
    "$(awk -v t=$((p1 - p0)) -v hz="$tick_hz" 'BEGIN { printf "%.2f", t / hz }')" "$rss" \
    "$(awk -v t="$jit" -v hz="$tick_hz" 'BEGIN { if (t == "") print "-"; else printf "%.2f", t / hz }')" >>"$cold_raw"
  log "  $backend cold $target round $round: port open after ${ready} ms; first ${cold_window}s $w1 calls/s (p99 $p99a ms),"\
    "next ${cold_window}s $w2 calls/s (p99 $p99b ms), $((bad + ${errored:-0})) failed"
}

# measure_idle BACKEND TARGET PORT PGID: resident memory of the target before and while $idle_clients idle HTTP/2
# connections are open (idle_clients.py holds them); appends a row to $idle_rows.
measure_idle() {
  local backend=$1 target=$2 port=$3 g=$4 before during alive still i
  before=$(group_status_kb "$g" VmRSS)
  rm -f "$work/idle.in"; mkfifo "$work/idle.in"
  exec 7<>"$work/idle.in"
  taskset -c "$loadgen_cpus" "$python" "$here/idle_clients.py" 127.0.0.1 "$port" "$idle_clients" \
    <"$work/idle.in" >"$work/idle.out" 2>&1 7>&- &
  local ipid=$!
  for i in $(seq 600); do
    grep -q '^ready' "$work/idle.out" 2>/dev/null && break
    kill -0 "$ipid" 2>/dev/null || break
    sleep 0.1
  done
  during=$(group_status_kb "$g" VmRSS)
  exec 7>&-
  wait "$ipid" || true
  alive=$(awk '/^ready/ { print $2 }' "$work/idle.out")
  still=$(awk '/^still open/ { print $3 }' "$work/idle.out")
  if [ -z "$alive" ]; then
    echo "| $target | $((before / 1024)) | – | – | not measured: $(head -1 "$work/idle.out" | cut -c1-80) |" >>"$idle_rows"
  else
    echo "| $target | $(awk -v k="$before" 'BEGIN { printf "%.1f", k / 1024 }') |"\
      "$(awk -v k="$during" 'BEGIN { printf "%.1f", k / 1024 }') |"\
      "$(awk -v a="$before" -v b="$during" -v n="$idle_clients" 'BEGIN { printf "%.1f", (b - a) / n }') |"\
      "$alive of $idle_clients open when measured, ${still:-?} still open after |" >>"$idle_rows"
  fi
  log "  $backend idle clients $target: RSS $((before / 1024)) -> $((during / 1024)) MiB, ${alive:-?} connections open"
}

# measure_alloc TARGET PORT PGID: the bytes a ferry target's event loops allocate per unary_small call, from the
# JVM's own per-thread counters (JFR's jdk.ThreadAllocationStatistics, taken as a recording around $alloc_calls calls
# starts and ends). Where calls/s and CPU time swing with the machine's load, this figure does not: a change to the
# data path that the noise hides still shows here. Appends a row to $alloc_rows.
measure_alloc() {
  local target=$1 port=$2 g=$3 pid jdk rec bytes calls
  pid=$(ps -o pid=,comm= -g "$g" | awk '$2 == "java" { print $1; exit }')
  if [ -z "$pid" ]; then echo "| $target | – | not measured: no JVM in its process group |" >>"$alloc_rows"; return; fi
  # The tools of the JDK that runs it (a JDK 25 for an AOT-cached serve).
  jdk=$(dirname "$(readlink -f "/proc/$pid/exe")")
  rec="$work/alloc-$target.jfr"
  rm -f "$rec"
  "$jdk/jcmd" "$pid" JFR.start name=alloc settings="$work/alloc.jfc" >/dev/null 2>&1
  taskset -c "$loadgen_cpus" h2load -t 1 -c 8 -m 8 -n "$alloc_calls" -d "$work/payload/small.req" \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$port/helloworld.Greeter/SayHello" >"$work/alloc.out" 2>&1 || true
  "$jdk/jcmd" "$pid" JFR.stop name=alloc filename="$rec" >/dev/null 2>&1
  bytes=$("$jdk/jfr" print --json --events jdk.ThreadAllocationStatistics "$rec" 2>/dev/null | "$python" -c '
import json, sys
seen = {}
for e in json.load(sys.stdin)["recording"]["events"]:
    v = e["values"]
    name = (v.get("thread") or {}).get("javaName") or ""
    if name.startswith("ferry-loop"):
        seen.setdefault(name, []).append(v["allocated"])
print(sum(max(a) - min(a) for a in seen.values() if len(a) > 1))' 2>/dev/null)
  calls=$(awk '/succeeded/ { print $8 + 0 }' "$work/alloc.out")
  if [ -z "$bytes" ] || [ "${calls:-0}" -eq 0 ]; then
    echo "| $target | – | not measured: $(grep -m1 -iE 'error|fail' "$work/alloc.out" | cut -c1-80) |" >>"$alloc_rows"
    log "  allocation $target: not measured"
  else
    echo "| $target | $((bytes / calls)) | $calls |" >>"$alloc_rows"
    log "  allocation $target: $((bytes / calls)) bytes per call over $calls calls"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# The run.
# ---------------------------------------------------------------------------------------------------------------
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
ensure_tools
build_ferry
make_payloads
raw="$work/raw.tsv"
: >"$raw"
notes="$work/notes.txt"
: >"$notes"
idle_clients="${IDLE_CLIENTS:-1000}"
idle_rows="$work/idle.txt"
: >"$idle_rows"
alloc_rows="$work/alloc.txt"
: >"$alloc_rows"
# JFR records only the per-thread allocation counters, at the start and the end of the recording.
cat >"$work/alloc.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics">
    <setting name="enabled">true</setting>
    <setting name="period">everyChunk</setting>
  </event>
</configuration>
JFC
cold_raw="$work/cold.tsv"
: >"$cold_raw"
# The targets run for the whole backend (and get the pre-warm) unless the only scenario is cold, which starts its own.
resident=0
for s in $scenarios; do [ "$s" = cold ] || resident=1; done
python=$(command -v /usr/bin/python3 || command -v python3)
if [ "$(nproc)" -lt 2 ]; then
  log "warning: fewer than 2 cores; load generator and servers share a core"
  loadgen_cpus=0; server_cpus=0
fi

for backend in $backends; do
  log "backend: $backend"
  if ! start_backend "$backend"; then
    echo "- backend $backend: not available ($(why "backend-$backend"))" >>"$notes"
    log "backend $backend: not available"; tail -3 "$work/backend-$backend.log" >&2 2>/dev/null || true
    continue
  fi
  if ! check_call "$backend_port"; then
    echo "- backend $backend: answers SayHello without grpc-status 0; skipped" >>"$notes"
    log "backend $backend: bad answer"; stop_group "$backend_pgid"; continue
  fi
  declare -A port_of=() pgid_of=()
  for t in $targets; do
    [ "$resident" = 1 ] || break
    if start_target "$t" && check_call "$target_port"; then
      port_of[$t]=$target_port; pgid_of[$t]=$target_pgid
    else
      echo "- $t ($backend backend): not available ($(why "$t"))" >>"$notes"
      log "$t: not available"; tail -3 "$work/$t.log" >&2 2>/dev/null || true
      if [ -n "$target_pgid" ]; then stop_group "$target_pgid"; fi
    fi
  done
  # Before round 1, every target gets the same unrecorded load, so that ferry's JIT and every pool are warm:
  # timed runs of the unary scenarios, and many_clients repeated (its connection set-up code runs once per
  # connection, so the JIT needs thousands of connections before it compiles it).
  for t in $targets; do
    [ -n "${port_of[$t]:-}" ] || continue
    # The bridge's path is warmed too where it is measured: on ferry, when web_small is among the scenarios.
    web=""
    if [[ " $scenarios " == *" web_small "* ]] && [[ $t == ferry* ]]; then web=web_small; fi
    for s in unary_small unary_1mb $web $(printf 'many_clients %.0s' $(seq "$prewarm_connects")); do
      read -r -a args <<<"$(scenario_args "$s" "$prewarm")"
      path=${args[-1]}; unset 'args[-1]'
      taskset -c "$loadgen_cpus" h2load -t 1 "${args[@]}" -H "content-type: $(content_type "$s")" -H 'te: trailers' \
        "http://127.0.0.1:${port_of[$t]}$path" >/dev/null 2>&1 || true
    done
  done
  if [ "$resident" = 0 ]; then
    # The fresh instances of the cold scenario are to meet a warm backend, as they do after the other scenarios.
    for s in unary_small unary_1mb; do
      read -r -a args <<<"$(scenario_args "$s" "$prewarm")"
      path=${args[-1]}; unset 'args[-1]'
      taskset -c "$loadgen_cpus" h2load -t 1 "${args[@]}" -H 'content-type: application/grpc' -H 'te: trailers' \
        "http://127.0.0.1:$backend_port$path" >/dev/null 2>&1 || true
    done
  fi
  if [ "$backend" = canned ] && [[ " $scenarios " == *" call_small "* ]]; then
    echo "- call_small runs on the greeter backend only: nghttpd's canned replies carry no content-type, so a real gRPC client (ferry call) rightly counts them as failures" >>"$notes"
  fi
  for r in $(seq "$rounds"); do
    # Each round starts with the next target in turn: the machine drifts within a round (the greeter backend's JIT
    # and heap, the page cache), and a fixed order would always measure the same target after the same other one.
    order=$(rotate "$targets" $((r - 1)))
    for s in $scenarios; do
      if [ "$backend" = canned ] && [ "$s" = call_small ]; then continue; fi
      if [ "$s" = cold ]; then
        for t in $order; do measure_cold "$backend" "$t" "$r"; done
        continue
      fi
      for t in $order; do
        [ -n "${port_of[$t]:-}" ] || continue
        # Only ferry bridges gRPC-Web; the others would pass it to a backend that takes gRPC only.
        if [ "$s" = web_small ] && [ "$t" != ferry ] && [ "$t" != ferry-base ]; then continue; fi
        target_pgid=${pgid_of[$t]}
        measure "$backend" "$s" "$t" "$r" "${port_of[$t]}"
      done
    done
  done
  # What idle clients cost: measured once, in front of the first backend.
  if [ "$idle_clients" -gt 0 ] && [ "$backend" = "${backends%% *}" ]; then
    for t in $targets; do
      if [ -n "${port_of[$t]:-}" ]; then
        measure_idle "$backend" "$t" "${port_of[$t]}" "${pgid_of[$t]:-$backend_pgid}"
      fi
    done
  fi
  # What a call allocates in ferry: measured once, in front of the first backend, after the rounds' warm-up.
  if [ "$alloc_calls" -gt 0 ] && [ "$backend" = "${backends%% *}" ]; then
    for t in $targets; do
      if [ -n "${port_of[$t]:-}" ] && [[ $t == ferry* ]]; then
        measure_alloc "$t" "${port_of[$t]}" "${pgid_of[$t]}"
      fi
    done
  fi
  for t in $targets; do
    if [ -n "${pgid_of[$t]:-}" ]; then stop_group "${pgid_of[$t]}"; fi
  done
  stop_group "$backend_pgid"
  unset port_of pgid_of
done

# ---------------------------------------------------------------------------------------------------------------
# RESULTS.md
# ---------------------------------------------------------------------------------------------------------------
ferry_commit="$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(cd "$repo" && git status --porcelain 2>/dev/null)" ]; then ferry_commit="$ferry_commit (with local changes)"; fi
{
  echo "# ferry benchmark results"
  echo
  if [ "$quick" = 1 ]; then
    echo "**Smoke run (\`--quick\`): durations too short and the machine may be busy; do not quote these figures.**"
    echo
  fi
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"\
    "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- pinning: h2load on CPU $loadgen_cpus; proxy and backend on CPU $server_cpus"
  echo "- versions: $(nginx -v 2>&1 | sed 's/^nginx version: //'); HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }');"\
    "$(nghttpx --version | head -1); $(h2load --version | head -1 | sed 's/^h2load //') (h2load, nghttpd);"\
    "$(java -version 2>&1 | head -1); ferry $ferry_commit"
  echo "- ferry JVM flags: the \`./ferry\` launcher's, then FERRY_JAVA_OPTS=${FERRY_JAVA_OPTS:-(none)}"
  echo "- command: \`$settings $command_line\`"
  echo "- rounds: $rounds, interleaved (each round runs every scenario against every target in turn);"\
    "timed scenarios: ${warmup}s warm-up + ${duration}s measured; before round 1 each target gets"\
    "${prewarm}s of unary_small and of unary_1mb and $prewarm_connects many_clients runs, unrecorded"
  echo
  if [ -s "$notes" ]; then echo "Not measured:"; echo; cat "$notes"; echo; fi
  if [ -s "$raw" ]; then awk -F'\t' -f "$here/summarize.awk" "$raw"; fi
  if [ -s "$cold_raw" ]; then awk -F'\t' -v w="$cold_window" -f "$here/cold.awk" "$raw" "$cold_raw"; fi
  echo
  if [ "$idle_clients" -gt 0 ] && [ "$resident" = 1 ]; then
    echo "## $idle_clients idle client connections"
    echo
    echo "Resident memory (VmRSS, all the target's processes) after the rounds, then with $idle_clients h2c connections"\
      "open that sent their preface and SETTINGS and nothing else. For direct, the backend's."
    echo
    echo "| target | RSS before MiB | RSS with idle clients MiB | KiB per connection | connections |"
    echo "| --- | ---: | ---: | ---: | --- |"
    if [ -s "$idle_rows" ]; then cat "$idle_rows"; else echo "| – | not run | | | |"; fi
    echo
  fi
  if [ -s "$alloc_rows" ]; then
    echo "## Allocation per call (${backends%% *} backend)"
    echo
    echo "Bytes allocated by serve's event loops per unary_small call (8 connections × 8 streams, $alloc_calls calls,"\
      "after the rounds), from the JVM's per-thread counters: a figure the machine's load does not move."
    echo
    echo "| target | bytes per call | calls |"
    echo "| --- | ---: | ---: |"
    cat "$alloc_rows"
    echo
  fi
  echo "## Raw runs"
  echo
  echo "backend, scenario, target, round, calls/s, total s (with warm-up), measured s, data bytes (with warm-up),"\
    "calls done (measured), failed (non-2xx or errored), p50 ms, p99 ms, proxy CPU s,"\
    "backend CPU s, peak RSS KiB"
  echo
  echo '```'
  cat "$raw"
  echo '```'
  if [ -s "$cold_raw" ]; then
    echo
    echo "Cold starts: backend, target, round, ms until the port opened, calls/s and p99 ms of the first window, of the"\
      "second, failed, answered SayHello afterwards (1/0), CPU s until the port opened, CPU s under the load, peak RSS KiB,"\
      "CPU s of the JIT's threads until the end of the load (- for a target that is not a JVM)"
    echo
    echo '```'
    cat "$cold_raw"
    echo '```'
  fi
} >"$out"
log "wrote $out"
