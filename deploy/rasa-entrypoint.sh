#!/bin/sh
# Start the Rasa server in the container, the way `make run` does: through the
# project's launcher (assistant/server/launch.py), which reads endpoints.yml
# with the environment (DB_*, REDIS_*, ACTION_SERVER_URL), CORS from
# ALLOWED_ORIGINS and the HTTP API from RASA_ENABLE_API + RASA_AUTH_TOKEN, so
# no secret is ever on a command line. RASA_PORT (5005), RASA_INTERFACE
# (127.0.0.1: put a proxy on the same host, or set the host's address).
set -eu
exec python -m assistant.server.launch run --model models/current.tar.gz \
  --interface "${RASA_INTERFACE:-127.0.0.1}" --port "${RASA_PORT:-5005}" \
  --endpoints endpoints.yml --credentials credentials.yml "$@"
