"""Rasa's HTTP API token, compared in constant time.

Rasa 3.6's ``rasa.server.requires_auth`` lets a request in when
``request.args["token"] == token``: a string comparison that stops at the
first differing character, so the time of a refusal tells how much of a
guess was right. ``requires_auth`` here checks the token with
``hmac.compare_digest`` and hands every other request to Rasa's decorator
built with a token nothing equals, so JWT (if configured) and the 401 answer
stay Rasa's own, and an API without a token stays as Rasa has it.

``assistant/server/rasa_patches.py`` installs it before Rasa builds the app.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from inspect import isawaitable
from typing import Any

import rasa.server

RASA_REQUIRES_AUTH = rasa.server.requires_auth


class _NoToken(str):
    """A token no provided string equals (Rasa's own check then never passes)."""

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


def token_matches(provided: str | None, token: str) -> bool:
    """True if the request's ``?token=`` is the API token (constant time)."""
    if provided is None:
        return False
    return hmac.compare_digest(
        provided.encode("utf-8", "surrogatepass"), token.encode("utf-8")
    )


def requires_auth(app: Any, token: str | None = None) -> Callable[[Any], Any]:
    """Rasa's ``requires_auth`` with the token compared in constant time."""
    if token is None:
        return RASA_REQUIRES_AUTH(app, None)
    rasa_check = RASA_REQUIRES_AUTH(app, _NoToken(token))

    def decorator(handler: Any) -> Any:
        checked = rasa_check(handler)

        @wraps(handler)
        async def decorated(request: Any, *args: Any, **kwargs: Any) -> Any:
            if token_matches(request.args.get("token", None), token):
                result = handler(request, *args, **kwargs)
                return await result if isawaitable(result) else result
            return await checked(request, *args, **kwargs)

        return decorated

    return decorator
