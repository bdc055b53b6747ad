#!/usr/bin/env bash
# Makes cli/target/ferry-serve.aot, the AOT cache with which ./ferry starts serve on a JDK 25 (the
# launcher says why): ./ferry serve, started on a JDK 25 with -XX:AOTCacheOutput, proxies real calls
# (ferry's greeter behind it, `ferry call`'s load mode in front of it) and writes the cache as it
# exits; then a serve that must map the cache (-XX:AOTMode=on) answers a call through it, or the
# build fails. With no JDK 25 or later in /usr/lib/jvm (or FERRY_AOT_JAVA), it says so and makes no
# cache, and serve starts on the java on the PATH as before. Run by `mvn package -Pserve-aot`
# (cli/pom.xml).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="$repo/cli/target/ferry-serve.aot"
rm -f "$cache" "$cache.java"

java25=""
for j in ${FERRY_AOT_JAVA:-} /usr/lib/jvm/*/bin/java; do
  [ -x "$j" ] || continue
  v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')
  if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 25 ]; then
    java25=$(readlink -f "$j")
    break
  fi
done
if [ -z "$java25" ]; then
  echo "serve-aot-training: no JDK 25 or later in /usr/lib/jvm; ./ferry serve starts without an AOT cache"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-aot.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# port_of LOG PID: the port of the "listening on HOST:PORT" line that the process PID writes to LOG.
port_of() {
  local line
  for _ in $(seq 600); do
    if line=$(grep -m1 -oE 'listening on [^ ]+:[0-9]+' "$1"); then
      echo "${line##*:}"
      return 0
    fi
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "serve-aot-training: $(basename "$1" .log) did not start:" >&2
  cat "$1" >&2
  return 1
}

# stop PID: SIGTERM, as Ctrl-C would stop serve; the cache is written as the JVM exits.
stop() {
  kill -TERM "$1"
  wait "$1" || true
}

"$repo/ferry" greeter --port 0 --quiet >"$work/greeter.log" 2>&1 &
pids+=($!)
backend=$(port_of "$work/greeter.log" "${pids[0]}")

FERRY_AOT_TRAINING="$java25" FERRY_JAVA_OPTS="-XX:AOTCacheOutput=$cache -Xlog:aot=error" \
  "$repo/ferry" serve --listen 127.0.0.1:0 --route "/=127.0.0.1:$backend" >"$work/training.log" 2>&1 &
training=$!
pids+=("$training")
proxy=$(port_of "$work/training.log" "$training")
# The calls the cache learns from: unary calls, 64 at a time, as bench/run.sh's unary_small.
"$repo/ferry" call "127.0.0.1:$proxy" helloworld.Greeter/SayHello -d '{"name":"training"}' -c 64 \
  --duration 6s >"$work/load.log" 2>&1 || { cat "$work/load.log" >&2; exit 1; }
stop "$training"
if [ ! -s "$cache" ]; then
  echo "serve-aot-training: the training run wrote no cache:" >&2
  cat "$work/training.log" >&2
  exit 1
fi
echo "$java25" >"$cache.java"

# The check: a serve that refuses to start without the cache (AOTMode=on) answers a call.
FERRY_JAVA_OPTS="-XX:AOTMode=on" "$repo/ferry" serve --listen 127.0.0.1:0 --route "/=127.0.0.1:$backend" \
  >"$work/check.log" 2>&1 &
check=$!
pids+=("$check")
if ! proxy=$(port_of "$work/check.log" "$check") ||
  ! "$repo/ferry" call "127.0.0.1:$proxy" helloworld.Greeter/SayHello -d '{"name":"aot"}' >"$work/call.out" 2>&1 ||
  ! grep -q 'Hello, aot!' "$work/call.out"; then
  echo "serve-aot-training: serve with the new cache does not answer:" >&2
  cat "$work/check.log" "$work/call.out" >&2 2>/dev/null || true
  rm -f "$cache" "$cache.java"
  exit 1
fi
stop "$check"
echo "serve-aot-training: $(du -h "$cache" | cut -f1) AOT cache for serve on $java25"
