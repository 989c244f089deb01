"""A conversation id PostgreSQL cannot store fails one message, never the server.

Found by the attack corpus (tests/attack): a REST message whose "sender" held
a NUL reached PostgreSQL, whose driver raises ``ValueError`` for it, and Rasa's
``SQLTrackerStore.session_scope`` takes any ``ValueError`` for a missing
schema and exits: one request stopped a Rasa server. The REST channel now
refuses such an id with HTTP 400 (tests/unit/test_rest_channel.py), every
channel drops it before Rasa works on it (tests/unit/test_user_input.py), and
the store itself fails only the save: this test gives the project's store, on
a real PostgreSQL, a conversation with a NUL in its id, then an ordinary one.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


def _conversation(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [UserUttered("Hvad er det?")])


async def test_a_nul_in_the_id_fails_the_save_and_the_store_goes_on(postgres_store):
    store = postgres_store()
    with pytest.raises(Exception) as refused:  # not SystemExit: the server lives
        await store.save(_conversation("a\x00b"))
    assert "NUL" in str(refused.value)
    await store.save(_conversation("after-the-nul"))
    with store.engine.connect() as connection:
        senders = connection.execute(
            sa.text("SELECT DISTINCT sender_id FROM events")
        ).scalars()
        assert list(senders) == ["after-the-nul"]
