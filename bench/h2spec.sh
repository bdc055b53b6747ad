#!/usr/bin/env bash
# HTTP/2 conformance: h2spec (summerwind/h2spec, v2.6.0) against `ferry serve` in front of `ferry greeter`, once over
# h2c with prior knowledge and once over TLS with ALPN; prints h2spec's summary for each. See bench/README.md.
#
#   bench/h2spec.sh [--junit DIR] H2SPEC
#
# H2SPEC (or the environment variable of that name): an h2spec source checkout, built here offline with Debian's Go
# in GOPATH mode, or an h2spec binary. --junit DIR keeps h2spec's JUnit reports (h2c.xml, tls.xml) in DIR.
# Exit status: 0 when every case passed over both, 1 when one failed, 2 for a usage or set-up error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
h2spec="${H2SPEC:-}"
junit=""
while [ $# -gt 0 ]; do
  case "$1" in
    --junit) junit="$2"; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "h2spec.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) h2spec="$1" ;;
  esac
  shift
done
if [ -z "$h2spec" ]; then
  echo "h2spec.sh: name an h2spec source checkout or binary (argument or H2SPEC); see --help" >&2
  exit 2
fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

work="$(mktemp -d /tmp/ferry-h2spec.XXXXXX)"
server_cpus="0-$(($(nproc) - 1))" # processes.sh pins servers; here they may use every core
# shellcheck source=processes.sh
. "$here/processes.sh"

# ---------------------------------------------------------------------------------------------------------------
# h2spec: a binary as given, or built from source with Debian's Go and Debian's packages of its dependencies, in
# GOPATH mode (GO111MODULE=off), so that nothing is downloaded.
# ---------------------------------------------------------------------------------------------------------------
ensure_go_packages() {
  local pkgs=(golang-go golang-github-spf13-cobra-dev golang-github-fatih-color-dev golang-golang-x-net-dev)
  local missing=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "h2spec.sh: missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
    exit 2
  fi
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build_h2spec() { # source dir -> prints the binary's path
  local src=$1 gp="$work/gopath"
  if [ ! -f "$src/cmd/h2spec/h2spec.go" ]; then
    echo "h2spec.sh: $src: not an h2spec checkout (no cmd/h2spec/h2spec.go)" >&2
    exit 2
  fi
  ensure_go_packages
  mkdir -p "$gp/src/github.com/summerwind"
  cp -R "$src" "$gp/src/github.com/summerwind/h2spec"
  log "building h2spec from $src"
  (cd "$gp/src/github.com/summerwind/h2spec" &&
    GOPATH="$gp:/usr/share/gocode" GO111MODULE=off GOCACHE="$work/go-cache" \
      go build -o "$work/h2spec" ./cmd/h2spec) >"$work/go-build.log" 2>&1 || {
    echo "h2spec.sh: building h2spec failed:" >&2
    cat "$work/go-build.log" >&2
    exit 2
  }
  echo "$work/h2spec"
}

if [ -d "$h2spec" ]; then
  bin="$(build_h2spec "$(cd "$h2spec" && pwd)")"
elif [ -x "$h2spec" ]; then
  bin="$h2spec"
else
  echo "h2spec.sh: $h2spec: neither an h2spec checkout nor an executable" >&2
  exit 2
fi

# ---------------------------------------------------------------------------------------------------------------
# ferry: the jar built if it is missing or older than any source or pom; the greeter, then two proxies in front of
# it on free ports of 127.0.0.1: h2c (prior knowledge, on the port that also serves HTTP/1.1) and TLS with ALPN.
# ---------------------------------------------------------------------------------------------------------------
jar="$repo/cli/target/ferry.jar"
if [ ! -f "$jar" ] || [ -n "$(cd "$repo" && find . -path ./bench -prune -o \( -path '*/src/*' -o -name pom.xml \) \
    -newer "$jar" -type f -print 2>/dev/null | grep -v /target/ | head -1)" ]; then
  log "building ferry (mvn -q package -DskipTests)"
  (cd "$repo" && mvn -B -q package -DskipTests) >"$work/mvn.log" 2>&1 || {
    echo "h2spec.sh: building ferry failed: see $work/mvn.log" >&2
    KEEP_WORK=1
    exit 2
  }
fi

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port=$((20000 + RANDOM % 10000))
free_port() {
  while port_answers "$next_port"; do next_port=$((next_port + 1)); done
  echo "$next_port"; next_port=$((next_port + 1))
}
wait_port() { # port pgid: true once the port accepts connections
  local deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    port_answers "$1" && return 0
    kill -0 -- "-$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "h2spec.sh: a server did not start; its log:" >&2
  cat "$work"/*.log >&2
  exit 2
}

greeter_port=$(free_port)
start greeter "$repo/ferry" greeter --port "$greeter_port" --quiet
wait_port "$greeter_port" "$started"
h2c_port=$(free_port)
start serve-h2c "$repo/ferry" serve --listen "127.0.0.1:$h2c_port" --route "/=127.0.0.1:$greeter_port"
wait_port "$h2c_port" "$started"
tls_port=$(free_port)
# The development certificate goes to the work directory, not to ~/.config/ferry/tls.
start serve-tls env FERRY_TLS_DIR="$work/tls" "$repo/ferry" serve --listen "127.0.0.1:$tls_port" \
  --tls self-signed --route "/=127.0.0.1:$greeter_port"
wait_port "$tls_port" "$started"

# ---------------------------------------------------------------------------------------------------------------
# The runs: a unary SayHello is the request h2spec sends where it needs one that succeeds.
# ---------------------------------------------------------------------------------------------------------------
status=0
run() { # name port h2spec-flags...
  local name=$1 port=$2; shift 2
  local report=()
  if [ -n "$junit" ]; then mkdir -p "$junit" && report=(-j "$junit/$name.xml"); fi
  log "h2spec over $name (127.0.0.1:$port)"
  "$bin" -h 127.0.0.1 -p "$port" -P /helloworld.Greeter/SayHello "${report[@]}" "$@" >"$work/$name.out" 2>&1 || true
  local summary
  summary="$(grep -E '^[0-9]+ tests, ' "$work/$name.out" | tail -1)"
  printf '%-4s %s\n' "$name:" "${summary:-no summary (see below)}"
  if ! grep -qE '^[0-9]+ tests, [0-9]+ passed, [0-9]+ skipped, 0 failed' "$work/$name.out"; then
    status=1
    sed -n '/^Failures:/,$p' "$work/$name.out"
    [ -n "$summary" ] || cat "$work/$name.out"
  fi
}
run h2c "$h2c_port"
run tls "$tls_port" -t -k
exit "$status"
