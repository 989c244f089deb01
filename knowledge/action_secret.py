"""The secret the Rasa server sends the action server with every call.

Set ``ACTION_SERVER_SECRET`` for both; the Rasa server sends it in the
``X-Action-Secret`` header (``assistant/server/action_secret.py``), the
action server refuses a call without it (``scripts/action_server.py``).
"""

from __future__ import annotations

ENVIRONMENT_VARIABLE = "ACTION_SERVER_SECRET"
HEADER = "X-Action-Secret"
