#!/usr/bin/env bash
# Start-up: how long a one-shot `ferry call` (reflection, then one unary call), `ferry --help` and a two-call
# `ferry call --script` take as whole processes, beside a one-shot grpcio client doing the same call; writes
# bench/RESULTS-startup.md. See bench/README.md.
#
#   bench/startup.sh [--runs N] [--out FILE]
#
# Environment: RUNS (default 10), FERRY_BIN (default ./ferry), FERRY_BASE_BIN (another build's launcher, measured in
# the same rounds, with the ratios), OUT.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
runs="${RUNS:-10}"
out="${OUT:-$here/RESULTS-startup.md}"
ferry_bin="${FERRY_BIN:-$repo/ferry}"
ferry_base_bin="${FERRY_BASE_BIN:-}"
python=/usr/bin/python3

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# What it needs: GNU time (its %M is the peak RSS), and grpcio for the yardstick (installed if root may).
missing=()
[ -x /usr/bin/time ] || missing+=(time)
"$python" -c 'import grpc' 2>/dev/null || missing+=(python3-grpcio)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "startup.sh: missing ${missing[*]}; as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
if [ ! -f "$repo/cli/target/ferry.jar" ]; then
  echo "startup.sh: building ferry (mvn -q package -DskipTests)" >&2
  (cd "$repo" && mvn -q package -DskipTests)
fi

work="$(mktemp -d)"
greeter_pid=""
cleanup() {
  if [ -n "$greeter_pid" ]; then kill -- "-$greeter_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# One greeter for the whole run, in its own process group so that it is stopped as one unit.
setsid "$ferry_bin" greeter --port 0 --quiet >"$work/greeter.log" 2>&1 &
greeter_pid=$!
addr=""
for _ in $(seq 600); do
  addr="$(sed -n 's/^listening on \([0-9.]*:[0-9]*\).*/\1/p' "$work/greeter.log" | head -1)"
  [ -n "$addr" ] && break
  kill -0 "$greeter_pid" 2>/dev/null || { cat "$work/greeter.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { echo "startup.sh: the greeter did not start" >&2; exit 1; }

# A smoke script of two calls, one of them an expected failure, as a CI job runs them.
script="$work/smoke.yaml"
cat >"$script" <<EOF
targets: [$addr]
calls:
  - name: greeter says hello
    method: helloworld.Greeter/SayHello
    data: {name: x}
    expect: {message: "Hello, x!"}
  - name: injected failure is reported
    method: helloworld.Greeter/SayHello
    headers: {x-fail-status: "14"}
    expect_status: UNAVAILABLE
EOF

# The measured commands: name, then the command line. Each runs once unrecorded (file caches), then once a round.
request='{"name":"x"}'
names=(ferry-call grpcio-call ferry-help ferry-script)
commands=("$ferry_bin call $addr helloworld.Greeter/SayHello -d $request"
          "$python $here/grpcio_call.py $addr x"
          "$ferry_bin --help"
          "$ferry_bin call --script $script")
if [ -n "$ferry_base_bin" ]; then
  names+=(base-call base-help base-script)
  commands+=("$ferry_base_bin call $addr helloworld.Greeter/SayHello -d $request" "$ferry_base_bin --help"
             "$ferry_base_bin call --script $script")
fi

# measure NAME ROUND COMMAND...: one run; appends "name round wall_s cpu_s peak_kib" to the samples.
measure() {
  local name="$1" round="$2"
  shift 2
  if ! /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >"$work/stdout" 2>"$work/stderr"; then
    echo "startup.sh: $name failed:" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  read -r wall user sys peak <"$work/time"
  echo "$name $round $wall $user $sys $peak" | awk '{ print $1, $2, $3, $4 + $5, $6 }' >>"$work/samples"
}

run_one() { # run_one INDEX ROUND
  local cmd="${commands[$1]}"
  if [[ "$cmd" == *" -d "* ]]; then
    # The request holds quotes: split the line before it, pass it as one argument.
    read -r -a argv <<<"${cmd% -d *}"
    measure "${names[$1]}" "$2" "${argv[@]}" -d "$request"
  else
    read -r -a argv <<<"$cmd"
    measure "${names[$1]}" "$2" "${argv[@]}"
  fi
}

# The command line that repeats this run, for the results file.
invocation="RUNS=$runs${ferry_base_bin:+ FERRY_BASE_BIN=$ferry_base_bin} bench/startup.sh"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!names[@]}"; do run_one "$i" 0; done
: >"$work/samples"
# Interleaved: every command once per round, so that a change in the machine's load touches them all alike.
for round in $(seq "$runs"); do
  for i in "${!names[@]}"; do run_one "$i" "$round"; done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$work/samples"; }
# ratio A B COLUMN: the median over rounds of A's figure over B's in the same round.
ratio() {
  join <(awk -v n="$1" -v c="$3" '$1 == n { print $2, $c }' "$work/samples" | sort) \
       <(awk -v n="$2" -v c="$3" '$1 == n { print $2, $c }' "$work/samples" | sort) |
    awk '{ print $2 / $3 }' | median | awk '{ printf "%.2f", $1 }'
}

{
  echo "# Start-up: one-shot ferry call, ferry --help and ferry call --script"
  echo
  echo "Written by \`$invocation\` on $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) cores, $("$python" -c \
    'import os; print(round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30))') GiB,"
  echo "$(java -version 2>&1 | head -1), grpcio $("$python" -c 'import grpc; print(grpc.__version__)')."
  echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after. $runs rounds, each command once a"
  echo "round, interleaved; every figure is the median over the rounds (wall and CPU from GNU time, peak = max RSS)."
  echo
  echo "| command | wall s | CPU s | peak MiB |"
  echo "| --- | ---: | ---: | ---: |"
  for i in "${!names[@]}"; do
    n="${names[$i]}"
    shown="${commands[$i]/$repo\//}"
    printf '| `%s` | %.2f | %.2f | %.0f |\n' "${shown/$work\//}" "$(column "$n" 3 | median)" \
      "$(column "$n" 4 | median)" "$(column "$n" 5 | median | awk '{ print $1 / 1024 }')"
  done
  echo
  echo "The greeter (\`ferry greeter --port 0 --quiet\`) ran the whole time, at $addr; \`smoke.yaml\` makes two calls"
  echo "to it, the second an injected UNAVAILABLE that the script expects."
  echo
  echo "| ratio, median of the rounds' ratios | wall | CPU | peak |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| ferry call / grpcio call | $(ratio ferry-call grpcio-call 3) | $(ratio ferry-call grpcio-call 4) |" \
    "$(ratio ferry-call grpcio-call 5) |"
  if [ -n "$ferry_base_bin" ]; then
    echo "| ferry call / base call | $(ratio ferry-call base-call 3) | $(ratio ferry-call base-call 4) |" \
      "$(ratio ferry-call base-call 5) |"
    echo "| ferry --help / base --help | $(ratio ferry-help base-help 3) | $(ratio ferry-help base-help 4) |" \
      "$(ratio ferry-help base-help 5) |"
    echo "| ferry call --script / base | $(ratio ferry-script base-script 3) | $(ratio ferry-script base-script 4) |" \
      "$(ratio ferry-script base-script 5) |"
  fi
} >"$out"
cat "$out"
