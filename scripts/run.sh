#!/usr/bin/env bash
# Start the action server, then the Rasa server (`server`) or `rasa shell`
# (`shell`), and stop the action server again when the bot stops.
# Called by `make run` and `make shell`; ports come from RASA_PORT/ACTIONS_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-server}
rasa_port=${RASA_PORT:-5005}
actions_port=${ACTIONS_PORT:-5055}
bin=.venv/bin
mkdir -p var

wait_for() {  # wait_for URL SECONDS NAME
  for _ in $(seq "$2"); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1
  done
  echo "$3 did not start within $2 s; see the log above." >&2
  return 1
}

# endpoints.yml expects the action server on 5055; point it elsewhere if asked.
endpoints=endpoints.yml
if [ "$actions_port" != 5055 ]; then
  sed "s#127.0.0.1:5055#127.0.0.1:$actions_port#" endpoints.yml >var/endpoints.yml
  endpoints=var/endpoints.yml
fi

"$bin/rasa" run actions --port "$actions_port" --actions actions >var/actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT
wait_for "http://127.0.0.1:$actions_port/health" 60 "The action server"

if [ "$mode" = shell ]; then
  # The bot in the background (log: var/rasa-shell.log), and a terminal client
  # in which a button is picked by typing its number (scripts/shell.py).
  "$bin/rasa" run --model models/current.tar.gz --interface 127.0.0.1 \
    --port "$rasa_port" --endpoints "$endpoints" >var/rasa-shell.log 2>&1 &
  rasa_pid=$!
  trap 'kill $rasa_pid $actions_pid 2>/dev/null || true' EXIT INT TERM
  echo "Starting the bot (log: var/rasa-shell.log) ..."
  wait_for "http://127.0.0.1:$rasa_port/webhooks/rest/" 180 "The Rasa server"
  "$bin/python" -m scripts.shell --server "http://127.0.0.1:$rasa_port"
  exit
fi

"$bin/rasa" run --model models/current.tar.gz --enable-api --cors "*" \
  --interface 127.0.0.1 --port "$rasa_port" --endpoints "$endpoints" &
rasa_pid=$!
trap 'kill $rasa_pid $actions_pid 2>/dev/null || true' EXIT INT TERM
wait_for "http://127.0.0.1:$rasa_port/status" 180 "The Rasa server"
cat <<MSG

  The bot is ready.
  Chat widget demo page: http://127.0.0.1:$rasa_port/webhooks/widget/demo
  REST:  curl -s http://127.0.0.1:$rasa_port/webhooks/rest/webhook \\
           -d '{"sender": "me", "message": "Kommer bækkenløsning igen ved næste graviditet?"}'
  socket.io: http://127.0.0.1:$rasa_port/socket.io (events user_uttered / bot_uttered)
  Shell: make shell        Stop: Ctrl+C
  Action server log: var/actions.log

MSG
wait $rasa_pid
