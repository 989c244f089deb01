"""Every token the project checks is compared with hmac.compare_digest.

A ``==`` on strings stops at the first differing character, so the time of
a refusal tells a guesser how much of the token was right. Each check below
is run with the right and a wrong token while ``hmac.compare_digest`` is
watched.
"""

import asyncio
import hmac
from types import SimpleNamespace

import pytest
import rasa.server
from rasa.server import ErrorResponse

from assistant.channels import widget_auth
from assistant.server import api_token, rasa_patches
from scripts import action_server

TOKEN = "t" * 40
SECRET = "s" * 64


@pytest.fixture
def compared(monkeypatch) -> list[tuple[bytes, bytes]]:
    """The arguments of every hmac.compare_digest call."""
    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def watched(a, b):
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", watched)
    return calls


def _api(token: str | None, provided: str | None, jwt: bool = False):
    """A request to an API route guarded by the project's requires_auth."""
    app = SimpleNamespace(config={"USE_JWT": True} if jwt else {})
    auth = SimpleNamespace(
        extract_payload=lambda request: {},
        is_authenticated=lambda request: False,
    )
    request = SimpleNamespace(
        args={"token": provided} if provided is not None else {},
        app=SimpleNamespace(ctx=SimpleNamespace(auth=auth)),
    )

    async def handler(request):
        return "the conversation"

    guarded = api_token.requires_auth(app, token)(handler)
    return asyncio.run(guarded(request))


def test_the_api_token_is_compared_in_constant_time(compared):
    assert _api(TOKEN, TOKEN) == "the conversation"
    assert compared == [(TOKEN.encode(), TOKEN.encode())]


@pytest.mark.parametrize("provided", [None, "", TOKEN[:-1], TOKEN + "x", "T" * 40])
@pytest.mark.parametrize("jwt", [False, True])
def test_a_wrong_api_token_gets_rasas_401(provided, jwt):
    with pytest.raises(ErrorResponse) as refused:
        _api(TOKEN, provided, jwt=jwt)
    assert refused.value.status == 401


def test_an_api_without_a_token_is_as_rasa_has_it(compared):
    assert _api(None, None) == "the conversation"  # Rasa: authentication off
    assert compared == []


def test_the_launcher_makes_rasa_use_the_constant_time_check(monkeypatch):
    monkeypatch.setattr(rasa.server, "requires_auth", api_token.RASA_REQUIRES_AUTH)
    rasa_patches.install_api_token_check()
    rasa_patches.install_api_token_check()  # once or twice: the same
    assert rasa.server.requires_auth is api_token.requires_auth


def test_the_widget_token_is_compared_in_constant_time(compared):
    token = widget_auth.token_for(SECRET, "w" + "a" * 32)
    assert widget_auth.conversation_of(SECRET, token) == "w" + "a" * 32
    assert len(compared) == 1
    wrong = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert widget_auth.conversation_of(SECRET, wrong) is None
    assert len(compared) == 2


def test_the_operator_token_is_compared_in_constant_time(compared):
    assert widget_auth.is_operator(SECRET, SECRET)
    assert not widget_auth.is_operator(SECRET, SECRET[:-1] + "x")
    assert compared == [(SECRET.encode(), SECRET.encode())] + [
        ((SECRET[:-1] + "x").encode(), SECRET.encode())
    ]


def test_the_action_servers_secret_is_compared_in_constant_time(compared):
    assert action_server.secret_matches(SECRET, SECRET)
    assert not action_server.secret_matches(SECRET[:-1] + "x", SECRET)
    assert not action_server.secret_matches(None, SECRET)
    assert len(compared) == 2
