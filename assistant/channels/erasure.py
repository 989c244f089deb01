"""Erasing one conversation from the running server, for her or for the operator.

``erase`` is what the widget's "Slet samtale" (``DELETE conversation``),
"slet" on a messaging platform and ``operator/forget`` do:
``retention.forget_in_store`` under the conversation's lock. A server that
cannot erase (``retention.ErasureUnsupported``: a Rasa upgrade changed where
the store is kept, or a store it cannot delete from) logs it and returns
None; the caller says so (the widget's routes answer 500 with
``NOT_ERASED``); nothing is deleted and nothing claimed.
"""

from __future__ import annotations

import logging
from typing import Any

from assistant.stores import retention

logger = logging.getLogger(__name__)

NOT_ERASED = (
    "This server cannot erase conversations (see its log): nothing was deleted."
)


async def erase(agent: Any, sender: str) -> int | None:
    """Rows deleted; None if this server cannot erase (logged)."""
    try:
        return await retention.forget_in_store(agent, sender)
    except retention.ErasureUnsupported:
        logger.exception("A conversation could not be erased.")
        return None
