#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:
#
#     scripts/with_postgres.sh CMD [ARGS...]
#
# Creates a cluster in a temporary directory, starts it on a free port on 127.0.0.1 (unix
# socket inside the directory, durability switched off for speed), creates the role `openmash`
# (with a random password) and the database `openmash_test`, exports
# DATABASE_URL=postgres://openmash:PASSWORD@127.0.0.1:PORT/openmash_test, runs CMD, then stops
# the server and deletes the directory. Exits with CMD's exit status.
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

find_pg_bin() {
    local tool=$1 candidate
    if candidate=$(command -v "$tool" 2>/dev/null); then
        echo "$candidate"
        return 0
    fi
    # Newest major version first.
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x $candidate/$tool ]]; then
            echo "$candidate/$tool"
            return 0
        fi
    done
    echo "PostgreSQL's $tool was not found (PATH, /usr/lib/postgresql/*/bin)." >&2
    echo "Install it with: sudo apt-get install -y postgresql" >&2
    return 1
}

initdb=$(find_pg_bin initdb)
pg_ctl=$(find_pg_bin pg_ctl)
# Use the client tools of the same installation as the server where there are several.
pg_bin=$(dirname "$(readlink -f "$initdb")")

run_pg=()
if [[ $(id -u) -eq 0 ]]; then
    run_pg=(runuser -u postgres --)
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/openmash-pg.XXXXXX")
data=$dir/data
sockets=$dir/sockets
started=0

cleanup() {
    local status=$?
    if [[ $started -eq 1 ]]; then
        "${run_pg[@]}" "$pg_ctl" stop -D "$data" -m immediate -w >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    return $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$sockets"
password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
printf '%s\n' "$password" >"$dir/pwfile"
chmod 600 "$dir/pwfile"
if [[ ${#run_pg[@]} -gt 0 ]]; then
    chown -R postgres: "$dir"
fi

"${run_pg[@]}" "$initdb" -D "$data" -U openmash --pwfile="$dir/pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
}
rm -f "$dir/pwfile"

port=""
for _ in 1 2 3 4 5; do
    port=$(free_port)
    if "${run_pg[@]}" "$pg_ctl" start -D "$data" -l "$dir/server.log" -w -t 30 -o \
        "-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
         -c listen_addresses=127.0.0.1 -p $port -k $sockets" >/dev/null; then
        started=1
        break
    fi
    # Most likely someone took the port between choosing and binding it: try another.
    "${run_pg[@]}" "$pg_ctl" stop -D "$data" -m immediate -w >/dev/null 2>&1 || true
done
if [[ $started -ne 1 ]]; then
    echo "PostgreSQL did not start:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
fi

PGPASSWORD=$password "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U openmash openmash_test

export DATABASE_URL="postgres://openmash:$password@127.0.0.1:$port/openmash_test"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

set +e
"$@"
status=$?
set -e
exit $status
