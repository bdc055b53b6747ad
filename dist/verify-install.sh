#!/usr/bin/env bash
# Tests ferry's distribution as a user gets it: the tarball unpacked into an empty directory and the
# .deb unpacked into a scratch root, each run with no java on the PATH and no JAVA_HOME, so that
# only the runtime they ship can start them. Run by dist/pom.xml at integration-test time (and so
# by .ci/run's mvn verify):
#   verify-install.sh TARGET_DIR VERSION
set -euo pipefail
target="$1" version="$2"
tarball="$target/ferry-$version-linux-x86_64.tar.gz"
deb="$target/ferry_${version/-/\~}_amd64.deb"

work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-install.XXXXXX")"
greeter_pid=""
cleanup() {
  if [ -n "$greeter_pid" ]; then
    kill "$greeter_pid" 2> /dev/null || true
    wait "$greeter_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
check() { # NAME COMMAND...: one line per check, the test's closing line counts them
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok: $name"
  else
    failed=$((failed + 1))
    echo "FAILED: $name" >&2
  fi
}
contains() { grep -q -- "$2" "$1" || { echo "--- $1 has no '$2':" >&2 && cat "$1" >&2 && false; }; }

# A PATH with the programs bin/ferry itself runs and no java: /usr/bin has one, so it is not it.
shims="$work/path"
mkdir -p "$shims" "$work/home"
for program in bash readlink dirname; do
  ln -s "$(command -v "$program")" "$shims/$program"
done
# As a user's shell would start it, with nothing of this build's environment: env -i. An array,
# not a function, so that a command started in the background is env's own process (which execs
# bin/ferry, which execs java): a function would run in a subshell, and $! would name that.
as_user=(env -i PATH="$shims" HOME="$work/home" LANG=C.UTF-8)
check "no java on the PATH the commands run with" \
  "${as_user[@]}" bash -c '! command -v java && [ -z "${JAVA_HOME:-}" ]'

# --- The tarball, unpacked where nothing else is.
mkdir "$work/unpacked"
tar -C "$work/unpacked" -xzf "$tarball"
home="$work/unpacked/ferry-$version"
for file in bin/ferry runtime/bin/java lib/ferry.jar lib/ferry.jsa lib/ferry-serve.jsa \
  share/man/man1/ferry.1.gz share/man/man1/ferry-call.1.gz share/bash-completion/completions/ferry \
  share/zsh/site-functions/_ferry; do
  check "tarball has $file" test -s "$home/$file"
done

"${as_user[@]}" "$home/bin/ferry" --version > "$work/version.out" 2>&1 || true
check "ferry --version names the version" contains "$work/version.out" "^ferry $version\$"
check "ferry --version runs on the bundled Java 17" contains "$work/version.out" "^Java 17"
# -Xshare:on makes the JVM fail rather than start without the archive: the one the build made maps
# in this copy, at another path than the one it was made at.
"${as_user[@]}" FERRY_JAVA_OPTS=-Xshare:on "$home/bin/ferry" --version > "$work/cds.out" 2>&1 || true
check "the class-data sharing archive maps where the tarball was unpacked" \
  contains "$work/cds.out" "^ferry $version\$"
# serve's own archive: named in the log, since without it the JDK's archive would map as well.
"${as_user[@]}" FERRY_JAVA_OPTS="-Xshare:on -Xlog:cds=info" "$home/bin/ferry" serve --help \
  > "$work/serve-cds.out" 2>&1 || true
check "serve maps its own archive there too" contains "$work/serve-cds.out" "Opened archive .*lib/ferry-serve.jsa"
check "serve starts with it" contains "$work/serve-cds.out" "^Usage: ferry serve"

"${as_user[@]}" "$home/bin/ferry" greeter --port 0 > "$work/greeter.out" 2>&1 &
greeter_pid=$!
# Bounded: the greeter prints its address once it listens, or has died.
port=""
for _ in $(seq 1200); do
  port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/greeter.out")"
  if [ -n "$port" ] || ! kill -0 "$greeter_pid" 2> /dev/null; then
    break
  fi
  sleep 0.05
done
check "ferry greeter --port 0 prints the port it listens on" test -n "$port"

if [ -n "$port" ]; then
  # The one-shot call's start-up, as the user waits for it (wall) and as the machine pays (CPU).
  # bash's own time: it counts the CPU of the whole process tree, and needs no package.
  "${as_user[@]}" out="$work/call.out" bash -c 'TIMEFORMAT="%R s wall, %U s user + %S s system CPU"
    time "$@" > "$out" 2>&1' call-timer "$home/bin/ferry" call "127.0.0.1:$port" \
    helloworld.Greeter/SayHello -d '{"name":"install"}' 2> "$work/call.time" || true
  check "ferry call answers through the greeter" contains "$work/call.out" '"message": "Hello, install!"'
  echo "installed ferry call: $(cat "$work/call.time")"
fi

# --- The .deb: its control data and listing, then its files in a scratch root. Not dpkg -i: that
# installs into the machine's own /usr (CI's machine is kept and shared), and dpkg -x unpacks the
# same data.tar a real install does.
dpkg-deb -I "$deb" > "$work/deb.info"
check ".deb is package ferry" contains "$work/deb.info" "^ Package: ferry$"
check ".deb has the Debian form of the version" contains "$work/deb.info" "^ Version: ${version/-/\~}$"
dpkg -c "$deb" > "$work/deb.list"
for file in ./usr/bin/ferry ./usr/lib/ferry/bin/ferry ./usr/lib/ferry/runtime/bin/java \
  ./usr/lib/ferry/lib/ferry.jsa ./usr/lib/ferry/lib/ferry-serve.jsa \
  ./usr/share/bash-completion/completions/ferry \
  ./usr/share/zsh/vendor-completions/_ferry ./usr/share/man/man1/ferry.1.gz; do
  check ".deb installs ${file#.}" contains "$work/deb.list" " $file\\( ->.*\\)\\?\$"
done
mkdir "$work/root"
dpkg -x "$deb" "$work/root"
check "/usr/bin/ferry links to the launcher" test "$(readlink "$work/root/usr/bin/ferry")" = ../lib/ferry/bin/ferry
"${as_user[@]}" FERRY_JAVA_OPTS=-Xshare:on "$work/root/usr/bin/ferry" --version > "$work/deb-version.out" 2>&1 || true
check "the .deb's ferry --version, archive mapped" contains "$work/deb-version.out" "^ferry $version\$"
if [ -n "$port" ]; then
  "${as_user[@]}" "$work/root/usr/bin/ferry" call --plaintext "127.0.0.1:$port" helloworld.Greeter/SayHello \
    -d '{"name":"deb"}' > "$work/deb-call.out" 2>&1 || true
  check "the .deb's ferry call answers" contains "$work/deb-call.out" '"message": "Hello, deb!"'
fi

# --- The man pages: valid roff (groff warns of nothing), rendered with the sections man shows.
for page in "$work/root/usr/share/man/man1/"*.1.gz; do
  zcat "$page" | groff -man -ww -z 2> "$work/groff.err" || true
  check "$(basename "$page") is roff groff has no warning about" test ! -s "$work/groff.err"
done
MANWIDTH=80 man -l "$work/root/usr/share/man/man1/ferry-call.1.gz" > "$work/man.out" 2> /dev/null || true
check "man -l ferry-call(1) shows its synopsis" contains "$work/man.out" "^SYNOPSIS"
check "man -l ferry-call(1) shows --plaintext" contains "$work/man.out" "--plaintext"
MANWIDTH=80 man -l "$work/root/usr/share/man/man1/ferry.1.gz" > "$work/man-ferry.out" 2> /dev/null || true
check "man -l ferry(1) shows the examples of ferry --help" contains "$work/man-ferry.out" "^EXAMPLES"

# --- The completions: sourced by bash, they complete ferry.
check "bash completion registers for ferry" bash -c \
  "source '$home/share/bash-completion/completions/ferry' && complete -p ferry > /dev/null"

echo "verify-install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
