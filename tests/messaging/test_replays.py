"""Which deliveries are answered: once per platform message, none too old."""

import pytest
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.channels.messaging import replays

NOW = 1_800_000_000.0


def tracker(*events):
    return DialogueStateTracker.from_events("telegram:1111111", list(events))


def delivered(text, channel, message_id):
    mark = replays.mark_of(channel, message_id)
    return UserUttered(text, metadata=replays.metadata_of(mark))


def test_a_mark_is_a_digest_of_channel_and_id_never_the_id():
    mark = replays.mark_of("twilio", "SM1234567890abcdef1234567890abcdef")
    assert mark is not None and len(mark) == 32
    assert "SM1234" not in mark
    assert mark == replays.mark_of("twilio", "SM1234567890abcdef1234567890abcdef")
    assert mark != replays.mark_of("telegram", "SM1234567890abcdef1234567890abcdef")
    assert replays.mark_of("twilio", None) is None
    assert replays.mark_of("twilio", "") is None
    assert replays.metadata_of(None) is None
    assert replays.metadata_of(mark) == {"delivery": mark}


def test_a_message_already_in_her_conversation_was_answered():
    mark = replays.mark_of("telegram", "10001")
    answered = tracker(delivered("hej", "telegram", "10001"), BotUttered("Hej!"))
    assert replays.was_answered(answered, mark)
    assert not replays.was_answered(answered, replays.mark_of("telegram", "10002"))
    assert not replays.was_answered(answered, None)  # no id: never a repeat
    assert not replays.was_answered(None, mark)  # nothing stored
    assert not replays.was_answered(tracker(UserUttered("hej")), mark)


def test_only_her_last_messages_are_remembered():
    first = delivered("hej", "telegram", "1")
    later = [
        delivered(f"spørgsmål {n}", "telegram", str(n + 2))
        for n in range(replays.REMEMBERED_MESSAGES)
    ]
    mark = replays.mark_of("telegram", "1")
    assert replays.was_answered(tracker(first, *later[:-1]), mark)
    assert not replays.was_answered(tracker(first, *later), mark)


@pytest.mark.parametrize(
    ("sent_at", "too_old"),
    [
        (NOW, False),
        (NOW - replays.MAX_AGE_SECONDS, False),  # Meta's last retry
        (NOW - replays.MAX_AGE_SECONDS - 1, True),
        (NOW - 365 * 24 * 3600, True),
        (NOW + replays.CLOCK_SKEW_SECONDS, False),  # the platform's clock ahead
        (NOW + replays.CLOCK_SKEW_SECONDS + 1, True),
        (0, True),
    ],
)
def test_a_message_older_than_any_retry_is_too_old(sent_at, too_old):
    assert replays.is_too_old(sent_at, NOW) is too_old
