# Start a throwaway PostgreSQL cluster on loopback (to be sourced).
# Exports TEST_DATABASE_URL; call pg_stop to stop it and remove its files.
# PGTEST_OPTIONS adds server settings (e.g. "-c shared_buffers=1GB").
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGTEST_PORT=${PGTEST_PORT:-54329}
PGTEST_DATA=$(mktemp -d /tmp/pgtest.XXXXXX)
chown postgres:postgres "$PGTEST_DATA"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGTEST_DATA" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTEST_DATA" -l "$PGTEST_DATA/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PGTEST_PORT -k $PGTEST_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PGTEST_OPTIONS:-}" \
  start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGTEST_PORT" -U postgres tutoring_test
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGTEST_PORT/tutoring_test"
pg_stop() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTEST_DATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTEST_DATA"
}
