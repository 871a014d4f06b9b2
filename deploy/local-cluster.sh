#!/usr/bin/env bash
# A PostgreSQL-backed Galapagos cluster of N controller and M worker processes on loopback, for trying
# the multi-machine setup on one machine.
#
#   deploy/local-cluster.sh start [--controllers N] [--workers M] [--slots S] [--base-port P]
#                                 [--dir DIR] [--db-url URL --db-user U]
#   deploy/local-cluster.sh restart --port P [--dir DIR]   (a node that died or was killed, same roles)
#   deploy/local-cluster.sh status [--dir DIR]
#   deploy/local-cluster.sh stop [--dir DIR]
#
# Without --db-url it initializes and starts a private PostgreSQL server under DIR/pgdata with the
# machine's initdb/pg_ctl (trust authentication, listening on 127.0.0.1 only). Pids, logs and the
# generated cluster.conf go to DIR (default ./galapagos-local-cluster).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
galapagos="$repo/galapagos"

command="${1:-}"
[ $# -gt 0 ] && shift
controllers=3
workers=2
slots=1
base_port=25520
dir="$PWD/galapagos-local-cluster"
db_url=""
db_user="galapagos"
port_arg=""

fail() { echo "local-cluster.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --controllers) controllers="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --slots) slots="$2"; shift 2 ;;
    --base-port) base_port="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --db-url) db_url="$2"; shift 2 ;;
    --db-user) db_user="$2"; shift 2 ;;
    --port) port_arg="$2"; shift 2 ;;
    *) fail "unknown option '$1' (see the header of $0)" ;;
  esac
done
case "$controllers$workers$slots$base_port" in *[!0-9]*) fail "--controllers, --workers, --slots and --base-port take numbers" ;; esac
[ "$controllers" -ge 1 ] || fail "at least one controller is needed"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# PostgreSQL's tools, from PATH or the usual Debian/Ubuntu place.
pg_bin() {
  local tool="$1" found
  if found="$(command -v "$tool" 2>/dev/null)"; then echo "$found"; return; fi
  for found in /usr/lib/postgresql/*/bin/"$tool"; do
    [ -x "$found" ] && { echo "$found"; return; }
  done
  return 1
}

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_db_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || fail "running as root needs a 'postgres' user for the database server (or pass --db-url)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_postgres() {
  local initdb pg_ctl createdb port
  initdb="$(pg_bin initdb)" && pg_ctl="$(pg_bin pg_ctl)" && createdb="$(pg_bin createdb)" || fail \
    "PostgreSQL's initdb/pg_ctl were not found: install PostgreSQL (e.g. 'apt-get install postgresql') or pass --db-url jdbc:postgresql://HOST:PORT/DB --db-user USER"
  port=$((base_port - 1000))
  if [ ! -d "$dir/pgdata" ]; then
    mkdir -p "$dir/pgdata" "$dir/pgsocket"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir/pgdata" "$dir/pgsocket"
    as_db_owner "$initdb" -D "$dir/pgdata" -U "$db_user" --auth=trust >"$dir/initdb.log" 2>&1 \
      || fail "initdb failed, see $dir/initdb.log"
  fi
  touch "$dir/postgres.log"; [ "$(id -u)" -eq 0 ] && chown postgres "$dir/postgres.log"
  as_db_owner "$pg_ctl" -D "$dir/pgdata" -l "$dir/postgres.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir/pgsocket" start >/dev/null \
    || fail "PostgreSQL did not start, see $dir/postgres.log"
  as_db_owner "$createdb" -h 127.0.0.1 -p "$port" -U "$db_user" galapagos 2>/dev/null || true
  db_url="jdbc:postgresql://127.0.0.1:$port/galapagos"
  echo "$port" > "$dir/postgres.port"
}

start_node() {
  local roles="$1" port="$2"
  nohup "$galapagos" node --config "$dir/cluster.conf" --roles "$roles" --port "$port" --slots "$slots" \
    >"$dir/node-$port.out" 2>"$dir/node-$port.log" </dev/null &
  echo $! > "$dir/node-$port.pid"
  echo "$roles" > "$dir/node-$port.roles"
}

await_up() {
  local port="$1" waited=0
  until grep -q "^galapagos node: up at" "$dir/node-$port.out" 2>/dev/null; do
    alive "$dir/node-$port.pid" || fail "the node on port $port exited, see $dir/node-$port.log"
    [ "$waited" -ge 240 ] && fail "the node on port $port is not up after 120 s, see $dir/node-$port.log"
    sleep 0.5; waited=$((waited + 1))
  done
  cat "$dir/node-$port.out"
}

case "$command" in
  start)
    for pid in "$dir"/node-*.pid; do
      alive "$pid" && fail "a cluster already runs from $dir (stop it with: $0 stop --dir $dir)"
    done
    rm -f "$dir"/node-*.pid "$dir"/node-*.out "$dir"/node-*.roles
    [ -n "$db_url" ] || start_postgres
    echo "$db_url" > "$dir/db.url"
    echo "$db_user" > "$dir/db.user"
    echo "$slots" > "$dir/slots"
    # the launcher builds the application on first use: do it once, before the nodes start together
    "$galapagos" --version >/dev/null
    "$galapagos" db init --db-url "$db_url" --db-user "$db_user"
    seeds=""
    for ((n = 0; n < controllers; n++)); do seeds="$seeds${seeds:+, }\"127.0.0.1:$((base_port + n))\""; done
    # a single controller is a cluster of its own: it may bootstrap with itself as the only seed
    bootstrap=off; [ "$controllers" -eq 1 ] && bootstrap=on
    cat > "$dir/cluster.conf" <<CONF
# Generated by local-cluster.sh: the PostgreSQL profile, on loopback.
include file("$repo/deploy/conf/postgres.conf")
galapagos {
  node {
    host = "127.0.0.1"
    # every member lists every controller, in the same order; the first forms the cluster
    seeds = [$seeds]
    min-controllers = $controllers
    bootstrap = $bootstrap
  }
  store { url = "$db_url", user = "$db_user", password = "", password-env = "" }
}
pekko.cluster {
  failure-detector.acceptable-heartbeat-pause = 3s
  split-brain-resolver.stable-after = 7s
}
CONF
    ports=()
    for ((n = 0; n < controllers; n++)); do start_node controller $((base_port + n)); ports+=($((base_port + n))); done
    for ((n = 0; n < workers; n++)); do start_node worker $((base_port + controllers + n)); ports+=($((base_port + controllers + n))); done
    for port in "${ports[@]}"; do await_up "$port"; done
    echo
    cluster=""
    for ((n = 0; n < controllers; n++)); do cluster="$cluster${cluster:+,}127.0.0.1:$((base_port + n))"; done
    echo "Submit a run:"
    echo "  $galapagos run --cluster $cluster --db-url $db_url --db-user $db_user --task cant-be-late --iterations 100"
    echo "Stop: $0 stop --dir $dir"
    ;;
  restart)
    [ -n "$port_arg" ] || fail "restart needs --port P (one of the ports in $dir/node-*.pid)"
    [ -f "$dir/node-$port_arg.roles" ] || fail "no node on port $port_arg in $dir"
    alive "$dir/node-$port_arg.pid" && fail "the node on port $port_arg still runs (pid $(cat "$dir/node-$port_arg.pid"))"
    slots="$(cat "$dir/slots" 2>/dev/null || echo 1)"
    start_node "$(cat "$dir/node-$port_arg.roles")" "$port_arg"
    await_up "$port_arg"
    ;;
  status)
    for pid in "$dir"/node-*.pid; do
      [ -f "$pid" ] || { echo "no nodes in $dir"; break; }
      port="$(basename "$pid" .pid)"; port="${port#node-}"
      if alive "$pid"; then state="running (pid $(cat "$pid"))"; else state="stopped"; fi
      echo "node 127.0.0.1:$port [$(cat "$dir/node-$port.roles" 2>/dev/null)] $state"
    done
    if [ -d "$dir/pgdata" ]; then
      if as_db_owner "$(pg_bin pg_ctl)" -D "$dir/pgdata" status >/dev/null 2>&1; then
        echo "postgresql $(cat "$dir/db.url") running"
      else
        echo "postgresql stopped"
      fi
    fi
    ;;
  stop)
    # workers first, then controllers: islands and the dispatcher hand over while members leave
    for roles in worker controller; do
      for pid in "$dir"/node-*.pid; do
        [ -f "$pid" ] || continue
        port="$(basename "$pid" .pid)"; port="${port#node-}"
        [ "$(cat "$dir/node-$port.roles" 2>/dev/null)" = "$roles" ] || continue
        if alive "$pid"; then
          kill -TERM "$(cat "$pid")"
          for ((w = 0; w < 120 && $(kill -0 "$(cat "$pid")" 2>/dev/null && echo 1 || echo 0) == 1; w++)); do sleep 0.5; done
          if alive "$pid"; then
            echo "node 127.0.0.1:$port did not leave within 60 s: killing it" >&2
            kill -KILL "$(cat "$pid")"
          else
            echo "node 127.0.0.1:$port [$roles] left the cluster"
          fi
        fi
        rm -f "$pid"
      done
    done
    if [ -d "$dir/pgdata" ] && as_db_owner "$(pg_bin pg_ctl)" -D "$dir/pgdata" status >/dev/null 2>&1; then
      as_db_owner "$(pg_bin pg_ctl)" -D "$dir/pgdata" -m fast -w stop >/dev/null && echo "postgresql stopped"
    fi
    ;;
  *)
    fail "usage: $0 start|restart|status|stop [--controllers N] [--workers M] [--slots S] [--base-port P] [--dir DIR] [--db-url URL --db-user U]"
    ;;
esac
