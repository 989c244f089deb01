"""Widget conversation ids and tokens: only the server's ids, only with its secret."""

import os
import stat

import pytest

from assistant.channels.widget_auth import (
    bearer_token,
    conversation_of,
    is_loopback,
    is_operator,
    may_write,
    new_conversation_id,
    token_for,
)
from assistant.config import secrets
from assistant.config.secrets import secret_from_file

SECRET = "s" * 64
OTHER_SECRET = "t" * 64


def test_a_token_proves_its_own_conversation_and_no_other():
    mine, hers = new_conversation_id(), new_conversation_id()
    assert mine != hers and len(mine) == 33
    token = token_for(SECRET, mine)
    assert conversation_of(SECRET, token) == mine
    assert conversation_of(OTHER_SECRET, token) is None  # another server's secret
    forged = token.replace(mine, hers)  # her id with my signature
    assert conversation_of(SECRET, forged) is None


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "v1",
        "v1..",
        "v2.w" + "0" * 32 + ".abc",
        "v1.anna.abc",
        "x" * 500,
        "v1.w" + "0" * 32 + ".\ud800",
        "v1.w" + "0" * 32,
    ],
)
def test_anything_else_proves_nothing(token):
    assert conversation_of(SECRET, token) is None


@pytest.mark.parametrize("sender", ["anna", "+4512345678", "whatsapp:+4512345678", ""])
def test_ids_the_server_did_not_make_never_get_a_token(sender):
    with pytest.raises(ValueError):
        token_for(SECRET, sender)


def test_bearer_header():
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    assert bearer_token("Basic abc") is None
    assert bearer_token("Bearer ") is None
    assert bearer_token(None) is None


def test_operator_is_the_secret_itself():
    assert is_operator(SECRET, SECRET)
    assert not is_operator(SECRET, None)
    assert not is_operator(SECRET, SECRET[:-1])
    assert not is_operator(SECRET, token_for(SECRET, new_conversation_id()))


def test_the_secret_is_made_once_kept_private_and_reused(tmp_path):
    path = tmp_path / "var" / "widget-secret"
    first = secret_from_file(path)
    assert len(first) >= secrets.MIN_SECRET_CHARACTERS
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_from_file(path) == first


def test_the_environment_wins_and_must_be_long(monkeypatch, tmp_path):
    monkeypatch.setenv("WIDGET_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.setenv("WIDGET_SECRET", "x" * 40)
    assert secrets.load_secret() == "x" * 40
    assert not (tmp_path / "secret").exists()
    monkeypatch.setenv("WIDGET_SECRET", "short")
    with pytest.raises(ValueError):
        secrets.load_secret()
    monkeypatch.delenv("WIDGET_SECRET")
    assert secrets.load_secret() == (tmp_path / "secret").read_text().strip()


def test_a_widget_conversation_is_written_only_with_its_own_token():
    mine, hers = new_conversation_id(), new_conversation_id()
    assert may_write(SECRET, mine, token_for(SECRET, mine))
    for token in (None, "", token_for(SECRET, hers), token_for(OTHER_SECRET, mine)):
        assert not may_write(SECRET, mine, token)


@pytest.mark.parametrize("sender", ["anna", "+4512345678", "w123", "W" + "0" * 32])
def test_ids_the_widget_never_made_need_no_token(sender):
    assert may_write(SECRET, sender, None)


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.1", False),
        ("203.0.113.7", False),
        ("::ffff:203.0.113.7", False),
        ("", False),
        (None, False),
        ("localhost", False),
    ],
)
def test_operator_requests_only_from_this_machine(address, loopback):
    assert is_loopback(address) is loopback


def test_the_operator_token_is_its_own(tmp_path, monkeypatch):
    monkeypatch.delenv("OPERATOR_TOKEN", raising=False)
    monkeypatch.setenv("OPERATOR_TOKEN_FILE", str(tmp_path / "operator-token"))
    monkeypatch.setenv("WIDGET_SECRET_FILE", str(tmp_path / "widget-secret"))
    made = secrets.load_operator_token()
    assert made == secrets.load_operator_token()  # kept in its file
    assert made != secrets.load_secret()
    assert stat.S_IMODE(os.stat(tmp_path / "operator-token").st_mode) == 0o600
    monkeypatch.setenv("OPERATOR_TOKEN", "short")
    with pytest.raises(ValueError):
        secrets.load_operator_token()


def _take_secret(path, start, results):
    start.wait()
    try:
        results.put(secret_from_file(path))
    except Exception as error:  # noqa: BLE001 (the test reports it)
        results.put(f"error: {error}")


class _SlowFile:
    """A file whose writes take 20 ms each."""

    def __init__(self, file):
        self.file = file

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def write(self, text):
        import time

        time.sleep(0.02)
        return self.file.write(text)


def _slow_writes(monkeypatch):
    """Files opened by descriptor write slowly: the moment between a file's
    creation and its content, where a server starting beside another could
    read it empty, lasts 20 ms."""
    original = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _SlowFile(original(*a, **k)))


def test_servers_starting_together_share_one_secret_and_none_stops(
    tmp_path, monkeypatch
):
    """A cluster's servers start at once on one folder (the CI's test-scale)."""
    import multiprocessing

    _slow_writes(monkeypatch)  # inherited by the forked processes
    context = multiprocessing.get_context("fork")
    for attempt in range(5):
        path = tmp_path / f"attempt-{attempt}" / "operator-token"
        start, results = context.Barrier(4), context.Queue()
        workers = [
            context.Process(target=_take_secret, args=(path, start, results))
            for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        taken = [results.get(timeout=30) for _ in workers]
        for worker in workers:
            worker.join(timeout=30)
        assert not [t for t in taken if t.startswith("error")], taken
        assert len(set(taken)) == 1  # one secret for all
        assert path.read_text().strip() == taken[0]
        assert sorted(p.name for p in path.parent.iterdir()) == ["operator-token"]


def test_a_secret_file_left_empty_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "operator-token"
    path.write_text("")
    with pytest.raises(ValueError, match="delete it to make one"):
        secret_from_file(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["operator-token"]
