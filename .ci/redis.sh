# Start a throwaway Redis on loopback (to be sourced), for the two-server test.
# Exports TEST_REDIS_URL; call redis_stop to stop it and remove its files.
REDISTEST_PORT=${REDISTEST_PORT:-63790}
REDISTEST_DIR=$(mktemp -d /tmp/redistest.XXXXXX)
redis-server --port "$REDISTEST_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$REDISTEST_DIR" --pidfile "$REDISTEST_DIR/redis.pid" --daemonize yes \
  --logfile "$REDISTEST_DIR/redis.log" >/dev/null
for _ in $(seq 50); do
  redis-cli -p "$REDISTEST_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
export TEST_REDIS_URL="redis://127.0.0.1:$REDISTEST_PORT/0"
redis_stop() {
  redis-cli -p "$REDISTEST_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$REDISTEST_DIR"
}
