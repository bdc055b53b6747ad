#!/usr/bin/env bash
# serve-training.sh cds|aot: what ./ferry serve starts from, learnt from a serve proxying real calls
# (ferry's greeter behind it, `ferry call`'s load mode in front of it, 64 calls at a time as in
# bench/run.sh's unary_small), then checked by a serve that must map it answering a call, or the
# build fails. The launcher says why each is used.
#
#   cds  cli/target/ferry-serve.jsa: a class-data sharing archive of the classes serve loaded, made
#        by the java on the PATH, which ./ferry serve maps. Run by every `mvn package` (cli/pom.xml).
#   aot  cli/target/ferry-serve.aot: an AOT cache (classes and method profiles) for a JDK 25 or
#        later found in /usr/lib/jvm (or FERRY_AOT_JAVA); without one it says so and makes none.
#        Run by `mvn package -Pserve-aot`.
set -euo pipefail
mode=${1:-}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
target="$repo/cli/target"
say() { echo "serve-training ($mode): $*"; }

case "$mode" in
  cds)
    made="$target/ferry-serve.jsa"
    rm -f "$made" "$target/ferry-serve.classlist"
    # While training, the launcher must not map an archive this run is replacing.
    training_env=(FERRY_SERVE_CDS=off FERRY_JAVA_OPTS="-XX:DumpLoadedClassList=$target/ferry-serve.classlist")
    # -Xshare:on: a JVM that cannot map the archive refuses to start instead of going on without.
    check_env=(FERRY_JAVA_OPTS=-Xshare:on)
    seconds=3 # enough for every class of a call's path to load; the list is all that is kept
    ;;
  aot)
    made="$target/ferry-serve.aot"
    rm -f "$made" "$made.java"
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
      say "no JDK 25 or later in /usr/lib/jvm; ./ferry serve starts without an AOT cache"
      exit 0
    fi
    # The cache is written as the training JVM exits.
    training_env=(FERRY_AOT_TRAINING="$java25" FERRY_JAVA_OPTS="-XX:AOTCacheOutput=$made -Xlog:aot=error")
    # AOTMode=on: a JVM that cannot use the cache refuses to start.
    check_env=(FERRY_JAVA_OPTS=-XX:AOTMode=on)
    seconds=6 # the profiles are what the cache is for: long enough for the hot path's to settle
    ;;
  *)
    echo "usage: serve-training.sh cds|aot" >&2
    exit 2
    ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-serve-training.XXXXXX")
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
  echo "serve-training: $(basename "$1" .log) did not start:" >&2
  cat "$1" >&2
  return 1
}

# stop PID: SIGTERM, as Ctrl-C would stop serve; the list and the cache are written as the JVM exits.
stop() {
  kill -TERM "$1"
  wait "$1" || true
}

"$repo/ferry" greeter --port 0 --quiet >"$work/greeter.log" 2>&1 &
pids+=($!)
backend=$(port_of "$work/greeter.log" "${pids[0]}")

env "${training_env[@]}" "$repo/ferry" serve --listen 127.0.0.1:0 --route "/=127.0.0.1:$backend" \
  >"$work/training.log" 2>&1 &
training=$!
pids+=("$training")
proxy=$(port_of "$work/training.log" "$training")
"$repo/ferry" call "127.0.0.1:$proxy" helloworld.Greeter/SayHello -d '{"name":"training"}' -c 64 \
  --duration "${seconds}s" >"$work/load.log" 2>&1 || { cat "$work/load.log" >&2; exit 1; }
stop "$training"

if [ "$mode" = cds ]; then
  java -Xshare:dump -XX:SharedClassListFile="$target/ferry-serve.classlist" -XX:SharedArchiveFile="$made" \
    -cp "$target/ferry.jar" >"$work/dump.log" 2>&1 || { cat "$work/dump.log" >&2; exit 1; }
else
  [ -s "$made" ] && echo "$java25" >"$made.java"
fi
if [ ! -s "$made" ]; then
  echo "serve-training: the training run made no $(basename "$made"):" >&2
  cat "$work/training.log" >&2
  exit 1
fi

# The check: a serve that refuses to start without what was made answers a call.
env "${check_env[@]}" "$repo/ferry" serve --listen 127.0.0.1:0 --route "/=127.0.0.1:$backend" \
  >"$work/check.log" 2>&1 &
check=$!
pids+=("$check")
if ! proxy=$(port_of "$work/check.log" "$check") ||
  ! "$repo/ferry" call "127.0.0.1:$proxy" helloworld.Greeter/SayHello -d '{"name":"check"}' >"$work/call.out" 2>&1 ||
  ! grep -q 'Hello, check!' "$work/call.out"; then
  echo "serve-training: serve with the new $(basename "$made") does not answer:" >&2
  cat "$work/check.log" "$work/call.out" >&2 2>/dev/null || true
  rm -f "$made" "$made.java"
  exit 1
fi
stop "$check"
say "$(du -h "$made" | cut -f1) $(basename "$made") for serve"
