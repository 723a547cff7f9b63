#!/usr/bin/env bash
# The backup and restore of docs/deployment.md, tried for real: a demonstration académie in a
# fresh PostgreSQL database, pg_dump (custom format), pg_restore into another fresh database,
# then the restored copy compared table by table (row counts and a digest of every row), brought
# up to date by `imagin-server init-db` (nothing to do) and served: a demonstration account logs
# in and reads its convocations. Prints the figures for docs/deployment.md.
#
#   [SCALE=N] scripts/check-backup-restore.sh [postgresql://USER@HOST:PORT]
#
# (default: postgres@127.0.0.1:5432; SCALE is demo-data's --scale, 1 by default).
#
# Needs a role that may create databases, and pg_dump/pg_restore of the server's major version.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/.venv/bin
base=${1:-postgresql://postgres@127.0.0.1:5432}
source_db=imagin_backup_source_$$
restored_db=imagin_backup_restored_$$
work=$(mktemp -d "${TMPDIR:-/tmp}/imagin-backup.XXXXXX")
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $source_db" 2>/dev/null || true
  psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $restored_db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
url() { echo "postgresql+psycopg://${base#postgresql://}/$1"; }

psql "$base/postgres" -qc "CREATE DATABASE $source_db"
psql "$base/postgres" -qc "CREATE DATABASE $restored_db"
start=$SECONDS
IMAGIN_DATABASE_URL=$(url "$source_db") "$bin/imagin-server" demo-data --scale "${SCALE:-1}" \
  --accounts-file "$work/accounts.json" >/dev/null 2>&1
echo "demo data: $((SECONDS - start)) s"

start=$SECONDS
pg_dump --format=custom --no-owner --file="$work/imagin.dump" "$base/$source_db"
dump_seconds=$((SECONDS - start))
start=$SECONDS
pg_restore --no-owner --exit-on-error --dbname="$base/$restored_db" "$work/imagin.dump"
restore_seconds=$((SECONDS - start))

# Every table: its row count and an order-independent digest of its rows.
digest='SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '\''public'\'' AND c.relkind = '\''r'\'' ORDER BY 1'
compare() {
  local database=$1
  for table in $(psql "$base/$database" -Atc "$digest"); do
    psql "$base/$database" -Atc "SELECT '$table', count(*),
      coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '-') FROM $table t"
  done
}
compare "$source_db" >"$work/source.txt"
compare "$restored_db" >"$work/restored.txt"
if ! diff -u "$work/source.txt" "$work/restored.txt"; then
  echo "La copie restaurée diffère de la base sauvegardée." >&2
  exit 1
fi
tables=$(wc -l <"$work/source.txt")
rows=$(awk -F'|' '{s += $2} END {print s}' "$work/source.txt")

# The restored copy as production would run it: migrations at their head, then served.
IMAGIN_DATABASE_URL=$(url "$restored_db") "$bin/imagin-server" init-db >/dev/null 2>&1
port=$("$bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
IMAGIN_DATABASE_URL=$(url "$restored_db") "$bin/imagin-server" serve --port "$port" \
  --log-level warning >"$work/server.log" 2>&1 &
server_pid=$!
"$bin/python" - "$port" "$work/accounts.json" <<'PY'
import json, sys, time
import httpx

port, accounts = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
url = f"http://127.0.0.1:{port}/api/v1"
for _ in range(300):
    try:
        if httpx.get(f"{url}/health", timeout=1).status_code == 200:
            break
    except httpx.HTTPError:
        time.sleep(0.1)
person = next(a for a in accounts if a["role"] == "Intervenant")
tokens = httpx.post(f"{url}/auth/login", json={"login": person["login"], "password": person["password"]}).json()
mine = httpx.get(f"{url}/convocations", headers={"Authorization": f"Bearer {tokens['access_token']}"})
mine.raise_for_status()
print(f"restored copy served: {person['login']} logged in, {len(mine.json())} convocations")
PY

cat <<SUMMARY
Backup and restore ($(date -u +%Y-%m-%d), PostgreSQL $(psql "$base/postgres" -Atc 'SHOW server_version'), demo académie at scale ${SCALE:-1}):
| | |
|---|---|
| tables, rows | $tables, $rows |
| pg_dump --format=custom | $dump_seconds s, $(du -h "$work/imagin.dump" | cut -f1) |
| pg_restore into an empty database | $restore_seconds s |
| rows compared (count and digest per table) | identical |
SUMMARY
