#!/usr/bin/env bash
# Start the action server, then the Rasa server (`server`) or `rasa shell`
# (`shell`), and stop the action server again when the bot stops.
# Called by `make run` and `make shell`; ports come from RASA_PORT/ACTIONS_PORT.
# The Rasa server is started by assistant/server/launch.py with the shipped
# endpoints.yml (the action server's URL in ACTION_SERVER_URL) and adds, in its
# own process, ALLOWED_ORIGINS and RASA_ENABLE_API + RASA_AUTH_TOKEN
# (assistant/config/server_settings.py): the token never is on a command line.
# Other settings (SECURITY.md): ACTION_SERVER_HOST, ACTION_SERVER_SECRET,
# WIDGET_SECRET, RETENTION_DAYS, DB_* and REDIS_* (endpoints.yml).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-server}
rasa_port=${RASA_PORT:-5005}
actions_port=${ACTIONS_PORT:-5055}
bin=.venv/bin
mkdir -p var

wait_for() {  # wait_for URL SECONDS NAME PID
  for _ in $(seq "$2"); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    if ! kill -0 "$4" 2>/dev/null; then
      wait "$4" && status=0 || status=$?
      echo "$3 stopped (exit code $status); see the message above." >&2
      return "$(( status ? status : 1 ))"
    fi
    sleep 1
  done
  echo "$3 did not start within $2 s; see the log above." >&2
  return 1
}

# endpoints.yml reads the action server's URL from here (default: port 5055).
export ACTION_SERVER_URL="http://127.0.0.1:$actions_port/webhook"

# The Rasa server and the action server share a secret (made once, kept in var/).
if [ -z "${ACTION_SERVER_SECRET:-}" ]; then
  if [ ! -s var/action-secret ]; then
    (umask 077 && "$bin/python" -c 'import secrets; print(secrets.token_hex(32))' >var/action-secret)
  fi
  ACTION_SERVER_SECRET=$(cat var/action-secret)
fi
export ACTION_SERVER_SECRET

"$bin/python" -m scripts.action_server --port "$actions_port" --actions actions >var/actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT
wait_for "http://127.0.0.1:$actions_port/health" 60 "The action server" "$actions_pid"

if [ "$mode" = shell ]; then
  # The bot in the background (log: var/rasa-shell.log), and a terminal client
  # in which a button is picked by typing its number (scripts/shell.py).
  "$bin/python" -m assistant.server.launch run --model models/current.tar.gz \
    --interface 127.0.0.1 --port "$rasa_port" --endpoints endpoints.yml \
    >var/rasa-shell.log 2>&1 &
  rasa_pid=$!
  trap 'kill $rasa_pid $actions_pid 2>/dev/null || true' EXIT INT TERM
  echo "Starting the bot (log: var/rasa-shell.log) ..."
  wait_for "http://127.0.0.1:$rasa_port/webhooks/rest/" 180 "The Rasa server" "$rasa_pid" ||
    { tail -5 var/rasa-shell.log >&2; exit 2; }
  "$bin/python" -m scripts.shell --server "http://127.0.0.1:$rasa_port"
  exit
fi

"$bin/python" -m assistant.server.launch run --model models/current.tar.gz \
  --interface 127.0.0.1 --port "$rasa_port" --endpoints endpoints.yml &
rasa_pid=$!
trap 'kill $rasa_pid $actions_pid 2>/dev/null || true' EXIT INT TERM
wait_for "http://127.0.0.1:$rasa_port/webhooks/rest/" 180 "The Rasa server" "$rasa_pid"
origins=${ALLOWED_ORIGINS:-"only this server's own pages (set ALLOWED_ORIGINS)"}
api="off (RASA_ENABLE_API=1 with RASA_AUTH_TOKEN turns it on)"
[ "${RASA_ENABLE_API:-}" = 1 ] && api="on, every request needs ?token=\$RASA_AUTH_TOKEN"
cat <<MSG

  The bot is ready.
  Chat widget demo page: http://127.0.0.1:$rasa_port/webhooks/widget/demo
  REST:  curl -s http://127.0.0.1:$rasa_port/webhooks/rest/webhook \\
           -d '{"sender": "me", "message": "Kommer bækkenløsning igen ved næste graviditet?"}'
  socket.io: http://127.0.0.1:$rasa_port/socket.io (events user_uttered / bot_uttered)
  Web pages allowed to use the bot: $origins
  HTTP API: $api
  Conversations are kept ${RETENTION_DAYS:-30} days after the last message (make purge;
  make forget SENDER=<id>; the widget's "delete conversation").
  Shell: make shell        Stop: Ctrl+C
  Action server log: var/actions.log

MSG
wait $rasa_pid
