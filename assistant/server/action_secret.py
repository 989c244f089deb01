"""The shared secret between the Rasa server and the action server.

When ``ACTION_SERVER_SECRET`` is set, the Rasa server sends it in the
``X-Action-Secret`` header of every call to the action server
(``assistant/server/action_safety_net.py`` adds it), and the action server
(``scripts/action_server.py``) refuses any call to ``/webhook`` or
``/actions`` without it (HTTP 403). ``make run`` sets one (kept in
``var/action-secret``), so nothing else on the machine can run the custom
actions, even if the action server is made to listen on more than loopback.
Both sides need the same value; unset on both, nothing is checked.

This is the Rasa server's half; the action server never imports ``assistant/``
and checks the header itself (``scripts/action_server.py``); both read the
two names from the shared ``knowledge/action_secret.py``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from knowledge.action_secret import ENVIRONMENT_VARIABLE, HEADER


def configured_secret() -> str:
    """The secret from the environment; empty if none is set."""
    return os.environ.get(ENVIRONMENT_VARIABLE, "")


def with_secret(headers: Mapping[str, str] | None, secret: str) -> dict[str, str]:
    """The request headers with the secret added (unchanged if no secret)."""
    result = dict(headers or {})
    if secret:
        result[HEADER] = secret
    return result
