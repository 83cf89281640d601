#!/usr/bin/env bash
# Restore drill: back up a database with pg_dump, restore it into a fresh one with pg_restore,
# and prove the copy is whole (same tables, same row counts, same migration revision).
#
# Usage: bash benchmarks/restore_drill.sh [postgresql://postgres@127.0.0.1:5432]
#
# It borrows the server only: it makes neighborly_drill (migrations + a small demo through the
# app's own commands), dumps it, restores it into neighborly_drill_restored, compares, and drops
# both. docs/deploy.md shows the same commands for production's nightly dumps.
set -euo pipefail

SERVER="${1:-postgresql://postgres@127.0.0.1:5432}"
SOURCE=neighborly_drill
RESTORED=neighborly_drill_restored
WORK="$(mktemp -d)"
DUMP="$WORK/neighborly.dump"
cd "$(dirname "$0")/.."

cleanup() {
    psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $SOURCE WITH (FORCE)" >/dev/null
    psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $RESTORED WITH (FORCE)" >/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $SOURCE WITH (FORCE)" >/dev/null
psql "$SERVER/postgres" -qc "CREATE DATABASE $SOURCE" >/dev/null
export NEIGHBORLY_ENV=development NEIGHBORLY_INSTANCE_DIR="$WORK"
DATABASE_URL="$SERVER/$SOURCE" DATABASE_STATEMENT_TIMEOUT_MS=0 \
    python -m flask --app neighborly setup >/dev/null 2>&1
DATABASE_URL="$SERVER/$SOURCE" python -m flask --app neighborly demo \
    --residents 12 --volunteers 6 >/dev/null

echo "pg_dump --format=custom $SOURCE"
pg_dump --format=custom --no-owner --file="$DUMP" "$SERVER/$SOURCE"
echo "  $(du -h "$DUMP" | cut -f1) written"

echo "pg_restore into $RESTORED"
psql "$SERVER/postgres" -qc "CREATE DATABASE $RESTORED" >/dev/null
pg_restore --no-owner --exit-on-error --dbname="$SERVER/$RESTORED" "$DUMP"

counts() {
    local tables
    tables=$(psql "$SERVER/$1" -Atc "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    for table in $tables; do
        echo "$table $(psql "$SERVER/$1" -Atc "SELECT count(*) FROM \"$table\"")"
    done
}
counts "$SOURCE" >"$WORK/source.txt"
counts "$RESTORED" >"$WORK/restored.txt"
if ! diff -u "$WORK/source.txt" "$WORK/restored.txt"; then
    echo "restore drill: FAILED, the restored copy differs" >&2
    exit 1
fi
revision=$(DATABASE_URL="$SERVER/$RESTORED" python -m flask --app neighborly db current 2>/dev/null | tail -1)
expected=$(DATABASE_URL="$SERVER/$SOURCE" python -m flask --app neighborly db current 2>/dev/null | tail -1)
if [ "$revision" != "$expected" ] || [ -z "$revision" ]; then
    echo "restore drill: FAILED, revision '$revision' != '$expected'" >&2
    exit 1
fi
tables=$(wc -l <"$WORK/restored.txt")
rows=$(awk '{s += $2} END {print s}' "$WORK/restored.txt")
echo "restore drill: tables=$tables rows=$rows revision=${revision%% *} identical"
