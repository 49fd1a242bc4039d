#!/usr/bin/env bash
# Installs and starts what the interop tests need, all inside the clone:
#   - PostgreSQL from Debian's packages (if missing), as a throwaway cluster on a free local port;
#   - .venv/target-postgres: MeltanoLabs target-postgres + jsonschema (the independent validator);
#   - .venv/meltano-postgres: Meltano, with the driver for a PostgreSQL system database (scale-out);
#   - .venv/dlt: dlt, whose rest_api source is the oracle of tap-rest's differential test.
#   - .venv/singer-sdk: the Meltano Singer SDK, for the SDK tap `tap-kit check` runs (conformance).
# Writes .interop/env (sourced by the tests). `scripts/interop-setup.sh stop` stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="$root/.interop"
TARGET_POSTGRES_VERSION=0.8.1
MELTANO_VERSION=4.4.1
JSONSCHEMA_VERSION=4.26.0
TARGET_JSONL_VERSION=0.1.4
DLT_VERSION=1.31.0
SINGER_SDK_VERSION=0.54.9

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# The cluster lives where the postgres user can reach it whatever the clone's path (a clone under a
# private home directory is not traversable by postgres); .interop/pgdir remembers where.
pgdir_file="$state/pgdir"
if [ "${1:-}" = stop ]; then
  if [ -f "$pgdir_file" ]; then
    pgdir=$(cat "$pgdir_file")
    [ -f "$pgdir/data/postmaster.pid" ] && as_pg "$(pgbin)/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null || true
    rm -rf "$pgdir" "$pgdir_file"
  fi
  exit 0
fi

if [ -z "$(pgbin)" ]; then
  echo "installing PostgreSQL (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

# Nothing cached outside the clone: pip's cache lives in .venv/ too.
export PIP_CACHE_DIR="$root/.venv/.pip-cache"
venv() { # name, packages...
  local dir="$root/.venv/$1"; shift
  if [ ! -f "$dir/.installed" ] || [ "$(cat "$dir/.installed")" != "$*" ]; then
    echo "installing $* into .venv/$(basename "$dir")"
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check "$@"
    echo "$*" > "$dir/.installed"
  fi
}
venv target-postgres "meltanolabs-target-postgres==$TARGET_POSTGRES_VERSION" "jsonschema[format-nongpl]==$JSONSCHEMA_VERSION" &
venv_tp=$!
venv meltano-postgres "meltano[postgres]==$MELTANO_VERSION" &
venv_m=$!
venv target-jsonl "target-jsonl==$TARGET_JSONL_VERSION" &
venv_j=$!
venv dlt "dlt==$DLT_VERSION" &
venv_d=$!
venv singer-sdk "singer-sdk==$SINGER_SDK_VERSION" &
venv_s=$!
wait $venv_tp; wait $venv_m; wait $venv_j; wait $venv_d; wait $venv_s

# A throwaway cluster: trust auth on 127.0.0.1 only, on a free port.
"$0" stop
mkdir -p "$state"
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/singer-taps-ts-pg.XXXXXX")
echo "$pgdir" > "$pgdir_file"
mkdir -p "$pgdir/data" "$pgdir/socket"
if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$pgdir"; fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$(pgbin)/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
as_pg "$(pgbin)/pg_ctl" -D "$pgdir/data" -l "$pgdir/data/postgres.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $pgdir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
cat > "$state/env" <<ENV
INTEROP_PG_HOST=127.0.0.1
INTEROP_PG_PORT=$port
INTEROP_PG_USER=postgres
INTEROP_TARGET_POSTGRES=$root/.venv/target-postgres/bin/target-postgres
INTEROP_PYTHON=$root/.venv/target-postgres/bin/python
INTEROP_MELTANO=$root/.venv/meltano-postgres/bin/meltano
INTEROP_TARGET_JSONL=$root/.venv/target-jsonl/bin/target-jsonl
INTEROP_DLT_PYTHON=$root/.venv/dlt/bin/python
ENV
echo "PostgreSQL $("$(pgbin)/postgres" --version | awk '{print $3}') on 127.0.0.1:$port; tools in .venv/; settings in .interop/env"
