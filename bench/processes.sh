# Sourced by run.sh and slow_reader.sh: servers in process groups of their own (setsid), so that each is measured
# and stopped as one unit. Before sourcing, the script sets $work (a temporary directory, logs go there),
# $server_cpus and log(); it sets $client_pid to the load generator's pid while one runs, for the cleanup.
groups=()
client_pid=""

stop_group() {
  local g=$1 i
  kill -TERM -- "-$g" 2>/dev/null || return 0
  for i in $(seq 50); do kill -0 -- "-$g" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$g" 2>/dev/null || true
}

cleanup() {
  local g
  if [ -n "${client_pid:-}" ]; then kill "$client_pid" 2>/dev/null || true; fi
  for g in "${groups[@]}"; do stop_group "$g"; done
  if [ -n "${KEEP_WORK:-}" ]; then log "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stat_fields FILE: the fields of a /proc stat line after the command name, into the array f (f[2] is the
# process group, f[11] and f[12] user and system CPU ticks); false if the process is gone.
stat_fields() {
  local line
  { read -r line <"$1"; } 2>/dev/null || return 1
  read -r -a f <<<"${line##*) }"
}

# start NAME CMD...: starts CMD on the server cores in a new process group; sets $started to its pid (= pgid).
start() {
  local name=$1; shift
  setsid taskset -c "$server_cpus" "$@" >"$work/$name.log" 2>&1 </dev/null &
  started=$!
  groups+=("$started")
  # Until setsid has run, the child is still in our group: wait for that, so that the group is what we measure.
  local i f
  for i in $(seq 100); do
    stat_fields "/proc/$started/stat" || return 0
    [ "${f[2]}" = "$started" ] && return 0
    sleep 0.02
  done
}

group_pids() {
  local s f
  for s in /proc/[0-9]*/stat; do
    stat_fields "$s" || continue
    [ "${f[2]}" = "$1" ] && { s=${s#/proc/}; echo "${s%/stat}"; }
  done
  return 0
}

# group_cpu_ticks PGID: utime+stime of every live process in the group, in clock ticks.
group_cpu_ticks() {
  local p f total=0
  for p in $(group_pids "$1"); do
    stat_fields "/proc/$p/stat" || continue
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# group_jit_ticks PGID: utime+stime of the JIT compiler threads (HotSpot names them "C1 CompilerThre..." and "C2
# CompilerThre...") of every live process in the group, in clock ticks; nothing when none has such a thread (not a JVM).
group_jit_ticks() {
  local p t f name total=0 any=""
  for p in $(group_pids "$1"); do
    for t in /proc/"$p"/task/*; do
      { read -r name <"$t/comm"; } 2>/dev/null || continue
      case "$name" in
        "C1 CompilerThre"* | "C2 CompilerThre"*) ;;
        *) continue ;;
      esac
      stat_fields "$t/stat" || continue
      total=$((total + f[11] + f[12])); any=1
    done
  done
  if [ -n "$any" ]; then echo "$total"; fi
}

group_reset_peak_rss() {
  local p
  for p in $(group_pids "$1"); do echo 5 >"/proc/$p/clear_refs" 2>/dev/null || true; done
}

# group_status_kb PGID FIELD: sum of a /proc/PID/status field over the group's processes: VmRSS (resident now) or
# VmHWM (the peak; shared pages count once per process).
group_status_kb() {
  local p kb total=0
  for p in $(group_pids "$1"); do
    kb=$(awk -v f="$2:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}
