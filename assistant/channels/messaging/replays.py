"""A platform's message delivered twice is answered once; an old one not at all.

Platforms deliver a message again when they did not get a 2xx in time
(Twilio, Telegram, Meta and Slack all retry), and a request captured on its
way could be sent again by someone else: its signature stays valid. Two
defences, both without keeping anything in the server's memory (another
server behind the load balancer may get the second delivery):

- **Her conversation remembers which deliveries it answered.** Each of her
  messages is stored with a digest of the platform's id of that message
  (``mark_of``: Twilio's ``MessageSid``, Telegram's ``update_id``, Meta's
  ``mid``, Slack's ``event_id``), in the message's metadata under
  ``delivery``. A message whose digest is among her last
  ``REMEMBERED_MESSAGES`` messages is not answered and not stored again
  (``was_answered``). The digest is of the id alone, which says nothing about
  her; the id itself is not stored.
- **A message older than the platform ever retries is refused**
  (``is_too_old``) where the platform says when it was sent, inside what it
  signs: Meta's ``timestamp`` (milliseconds) and Telegram's ``date`` (seconds)
  more than ``MAX_AGE_SECONDS`` ago. The window is the longest either
  platform keeps a message it could not deliver: Meta drops an unacknowledged
  webhook notification after 36 hours, Telegram keeps an update for at most
  24 hours. Slack signs a timestamp
  with every request, and Rasa refuses it after five minutes. Twilio sends no
  time at all, so on WhatsApp and SMS only the first defence holds (a
  captured request replayed after "slet" would be a new message).
"""

from __future__ import annotations

import hashlib
from typing import Any

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

DELIVERY_KEY = "delivery"
REMEMBERED_MESSAGES = 100
MAX_AGE_SECONDS = 36 * 60 * 60
# how far ahead of the server's clock a platform's clock may be
CLOCK_SKEW_SECONDS = 5 * 60


def mark_of(channel: str, message_id: str | None) -> str | None:
    """The digest stored for a platform's message id (None without an id)."""
    if not message_id:
        return None
    return hashlib.sha256(f"{channel}:{message_id}".encode()).hexdigest()[:32]


def metadata_of(mark: str | None) -> dict[str, Any] | None:
    """The metadata her message is stored with, to recognise it again."""
    return {DELIVERY_KEY: mark} if mark else None


def was_answered(tracker: DialogueStateTracker | None, mark: str | None) -> bool:
    """True when one of her last messages had this delivery mark."""
    if tracker is None or mark is None:
        return False
    seen = 0
    for event in reversed(tracker.events):
        if not isinstance(event, UserUttered):
            continue
        if (event.metadata or {}).get(DELIVERY_KEY) == mark:
            return True
        seen += 1
        if seen >= REMEMBERED_MESSAGES:
            return False
    return False


def is_too_old(sent_at: float, now: float, max_age: float = MAX_AGE_SECONDS) -> bool:
    """True for a message sent more than ``max_age`` seconds before ``now``.

    A time far in the future (more than the clock skew allowed) is refused
    too: no platform sends one.
    """
    return not (now - max_age <= sent_at <= now + CLOCK_SKEW_SECONDS)
