#!/bin/sh
# Start the Rasa server in the container. Everything from the environment:
# RASA_PORT (5005), RASA_INTERFACE (0.0.0.0), RASA_ENABLE_API=1 with
# RASA_AUTH_TOKEN (the HTTP API; off otherwise), ALLOWED_ORIGINS (web pages of
# other origins allowed to use the bot; none by default), WIDGET_SECRET (the
# same on every server), ACTION_SERVER_URL (default
# http://127.0.0.1:5055/webhook, endpoints.yml's), and the DB_* / REDIS_*
# variables endpoints.yml reads.
set -eu
endpoints=endpoints.yml
if [ -n "${ACTION_SERVER_URL:-}" ]; then
  sed "s#http://127.0.0.1:5055/webhook#$ACTION_SERVER_URL#" endpoints.yml >/tmp/endpoints.yml
  endpoints=/tmp/endpoints.yml
fi
if [ "${RASA_ENABLE_API:-}" = 1 ]; then
  if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
    echo "RASA_ENABLE_API=1 needs RASA_AUTH_TOKEN" >&2
    exit 2
  fi
  set -- --enable-api --auth-token "$RASA_AUTH_TOKEN" "$@"
fi
if [ -n "${ALLOWED_ORIGINS:-}" ]; then
  # shellcheck disable=SC2086  # one argument per origin
  set -- --cors $(echo "$ALLOWED_ORIGINS" | tr ',' ' ') "$@"
fi
exec rasa run --model models/current.tar.gz \
  --interface "${RASA_INTERFACE:-0.0.0.0}" --port "${RASA_PORT:-5005}" \
  --endpoints "$endpoints" --credentials credentials.yml "$@"
