#!/usr/bin/env bash
# `meltano --environment=playground "$@"` with a warehouse that is there. The warehouse is the
# PostgreSQL named by TARGET_POSTGRES_HOST, _PORT, _USER, _PASSWORD and _DATABASE when set; else the
# one scripts/interop-setup.sh started (.interop/env); else 127.0.0.1:5432. When nothing answers
# there, or the playground API (bin/playground --port 5001) is not running, one line says so.
# Usage: scripts/meltano-playground.sh run tap-betterstack target-postgres
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${TARGET_POSTGRES_HOST:-}" ] && [ -f "$root/.interop/env" ]; then
  # shellcheck disable=SC1091
  . "$root/.interop/env"
  export TARGET_POSTGRES_HOST="$INTEROP_PG_HOST" TARGET_POSTGRES_PORT="$INTEROP_PG_PORT" TARGET_POSTGRES_USER="$INTEROP_PG_USER"
  export TARGET_POSTGRES_PASSWORD="${TARGET_POSTGRES_PASSWORD:-unused}" # the interop cluster trusts local connections
fi
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
host=${TARGET_POSTGRES_HOST:-127.0.0.1}
port=${TARGET_POSTGRES_PORT:-5432}
if ! answers "$host" "$port"; then
  echo "meltano-playground: no PostgreSQL on $host:$port: run scripts/interop-setup.sh, or set TARGET_POSTGRES_HOST, TARGET_POSTGRES_PORT, TARGET_POSTGRES_USER, TARGET_POSTGRES_PASSWORD and TARGET_POSTGRES_DATABASE" >&2
  exit 1
fi
if ! answers 127.0.0.1 5001; then
  echo "meltano-playground: the playground API is not running on 127.0.0.1:5001: start it with bin/playground --port 5001 &" >&2
  exit 1
fi
exec meltano --environment=playground "$@"
