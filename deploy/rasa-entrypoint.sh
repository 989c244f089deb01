#!/bin/sh
# Start the Rasa server in the container. Everything from the environment:
# RASA_PORT (5005), RASA_INTERFACE (0.0.0.0), RASA_AUTH_TOKEN (protects the
# HTTP API; unset: no token), ACTION_SERVER_URL (default
# http://127.0.0.1:5055/webhook, endpoints.yml's), and the DB_* / REDIS_*
# variables endpoints.yml reads.
set -eu
endpoints=endpoints.yml
if [ -n "${ACTION_SERVER_URL:-}" ]; then
  sed "s#http://127.0.0.1:5055/webhook#$ACTION_SERVER_URL#" endpoints.yml >/tmp/endpoints.yml
  endpoints=/tmp/endpoints.yml
fi
if [ -n "${RASA_AUTH_TOKEN:-}" ]; then
  set -- --auth-token "$RASA_AUTH_TOKEN" "$@"
fi
exec rasa run --model models/current.tar.gz --enable-api --cors "*" \
  --interface "${RASA_INTERFACE:-0.0.0.0}" --port "${RASA_PORT:-5005}" \
  --endpoints "$endpoints" --credentials credentials.yml "$@"
