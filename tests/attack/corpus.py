"""The attack corpus: every case built from tables of variants, and how one is sent.

A case says what it sends, to which target (a Rasa server straight, HAProxy,
the action server, socket.io), and what must come back: a set of statuses
(or, for socket.io, of outcomes such as "refused"). Refusals must also leave
every victim's stored events as they were, and no response may carry a
victim's sentence; ``tests/attack/test_attack_corpus.py`` checks both after
each category.

Every request through HAProxy carries an X-Forwarded-For address of its own
(192.0.2.x, 203.0.113.x: documentation addresses, header only, no traffic
goes there), so the per-client rate limits see each case as another client;
the flood cases have theirs (198.51.100.x).
"""

from __future__ import annotations

import base64
import functools
import http.client
import itertools
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from assistant.channels import widget_auth
from tests.attack.conftest import Deployment, Victim

SERVER = "server"
SERVER2 = "server 2"  # the other Rasa server (only where it matters which)
HAPROXY = "HAProxy"
ACTIONS = "action server"
SOCKETIO = "socket.io"
CLOSED = "closed"  # the connection ended without a response

REFUSED = frozenset({400, 401, 403, 404, 405, 413, 414, 431})


def _addresses() -> Iterator[str]:
    pool = [f"192.0.2.{n}" for n in range(1, 255)]
    pool += [f"203.0.113.{n}" for n in range(1, 255)]
    return itertools.cycle(pool)


_next_address = _addresses()


def client_address() -> str:
    """An X-Forwarded-For address no other recent case used."""
    return next(_next_address)


@dataclass
class Outcome:
    """What came back."""

    got: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    seconds: float = 0.0
    detail: str = ""  # shown after ``got`` in the report


@dataclass
class Case:
    """One attack: what is sent, where, and what must come back."""

    category: str
    target: str
    what: str
    expected: frozenset[int | str]
    send: Callable[[], Outcome]
    # extra demands on the response (None: fine; else what is wrong)
    check: Callable[[Outcome], str | None] | None = None


@dataclass
class Result:
    """A case and what happened."""

    id: str
    category: str
    target: str
    what: str
    expected: str
    got: str
    ok: bool
    unexpected_5xx: bool = False
    leaked: bool = False
    note: str = ""
    seconds: float = 0.0


def raw(
    base: str,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Outcome:
    """Send ``path`` exactly as written (no client-side clean-up)."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(
        address.hostname or "127.0.0.1", address.port, timeout=timeout
    )
    started = time.monotonic()
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        sent = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in sent.items():
            connection.putheader(name, value.encode("latin-1"))
        connection.endheaders(body)
        answer = connection.getresponse()
        text = answer.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        return Outcome(f"{CLOSED} ({type(error).__name__})")
    finally:
        connection.close()
    return Outcome(
        str(answer.status),
        answer.status,
        {k.lower(): v for k, v in answer.getheaders()},
        text,
        time.monotonic() - started,
    )


def http_case(
    deployment: Deployment,
    category: str,
    target: str,
    what: str,
    expected: set[int | str] | frozenset[int | str],
    method: str,
    path: str,
    body: bytes | dict[str, Any] | list[Any] | None = None,
    headers: dict[str, str] | None = None,
    check: Callable[[Outcome], str | None] | None = None,
) -> Case:
    """A case that sends one HTTP request to ``target``."""
    base = {
        SERVER: deployment.server,
        SERVER2: deployment.cluster.rasa[1].url,
        HAPROXY: deployment.lb,
        ACTIONS: deployment.actions,
    }[target]
    data = (
        body
        if isinstance(body, bytes)
        else b""
        if body is None
        else json.dumps(body).encode()
    )
    sent = {"Content-Type": "application/json", **(headers or {})}
    if target == HAPROXY:
        sent.setdefault("X-Forwarded-For", client_address())
    return Case(
        category,
        target,
        what,
        frozenset(expected),
        lambda: raw(base, method, path, data, sent),
        check,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _random_signature() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def _flip(conversation: str) -> str:
    last = conversation[-1]
    return conversation[:-1] + ("0" if last != "0" else "1")


def _signature(token: str) -> str:
    return token.split(".")[2]


def forged_authorizations(victim: Victim) -> list[tuple[str, str | None]]:
    """(label, Authorization header or None) an attacker could make up."""
    assert victim.token is not None
    token, sender = victim.token, victim.sender
    other = widget_auth.token_for(
        secrets.token_hex(32), widget_auth.new_conversation_id()
    )
    signature, head = _signature(token), token.rsplit(".", 1)[0]
    random_token = f"v1.{sender}.{_random_signature()}"
    return [
        ("no Authorization header", None),
        ("random signature", f"Bearer {random_token}"),
        ("another conversation's signature",
         f"Bearer v1.{sender}.{_signature(other)}"),
        ("tampered id, her signature", f"Bearer v1.{_flip(sender)}.{signature}"),
        ("id upper-cased", f"Bearer v1.{sender.upper()}.{_random_signature()}"),
        ("truncated by one character", f"Bearer {token[:-1]}"),
        ("truncated by ten characters", f"Bearer {token[:-10]}"),
        ("version and id only", f"Bearer v1.{sender}."),
        ("the id alone", f"Bearer {sender}"),
        ("version v0", f"Bearer v0.{sender}.{_random_signature()}"),
        ("version v2", f"Bearer v2.{sender}.{_random_signature()}"),
        ("version V1", f"Bearer V1.{sender}.{_random_signature()}"),
        ("no version", f"Bearer {sender}.{_random_signature()}"),
        ("extra segment", f"Bearer {random_token}.{_random_signature()}"),
        ("signature with padding", f"Bearer {random_token}="),
        ("signature upper-cased", f"Bearer {head}.{signature.upper()}"),
        ("over 200 characters", f"Bearer {random_token}{'A' * 200}"),
        ("non-ASCII signature", f"Bearer v1.{sender}.{'é' * 43}"),
        ("empty bearer", "Bearer "),
        ("Bearer alone", "Bearer"),
        ("Basic scheme", "Basic " + base64.b64encode(f"{sender}:x".encode()).decode()),
        ("Token scheme", f"Token {random_token}"),
        ("no scheme", random_token),
        ("two bearer tokens", f"Bearer {random_token}, Bearer {random_token}"),
    ]  # fmt: skip


# the widget routes that name a conversation by its token, and REST messages
ROUTES = [
    ("history", "GET", "/webhooks/widget/history"),
    ("erasure", "DELETE", "/webhooks/widget/conversation"),
    ("message", "POST", "/webhooks/rest/webhook"),
]


def _route_body(route: str, sender: str) -> dict[str, Any] | None:
    if route == "message":
        return {"sender": sender, "message": "Please show me everything I said"}
    return None


def forged_token_cases(deployment: Deployment) -> list[Case]:
    cases = []
    for target, victim in ((SERVER, "widget"), (HAPROXY, "socket.io")):
        aimed = deployment.victim(victim)
        for label, authorization in forged_authorizations(aimed):
            for route, method, path in ROUTES:
                headers = {"Authorization": authorization} if authorization else {}
                cases.append(
                    http_case(
                        deployment, "forged tokens", target,
                        f"{route} of the {victim} victim, {label}",
                        {403}, method, path, _route_body(route, aimed.sender),
                        headers,
                    )
                )  # fmt: skip
        # her real token, but in the query string instead of the header
        assert aimed.token is not None
        for route, method, path in ROUTES:
            cases.append(
                http_case(
                    deployment, "forged tokens", target,
                    f"{route} of the {victim} victim, her token in ?token=",
                    {403}, method, f"{path}?token={quote(aimed.token)}",
                    _route_body(route, aimed.sender),
                )
            )  # fmt: skip
    return cases


def _minted(deployment: Deployment) -> tuple[str, str]:
    """A conversation of the attacker's own, minted as any widget gets one."""
    answer = raw(
        deployment.server, "POST", "/webhooks/widget/session", b"",
        {"Content-Type": "application/json"},
    )  # fmt: skip
    body = json.loads(answer.body)
    return body["sender"], body["token"]


def replayed_token_cases(deployment: Deployment) -> list[Case]:
    widget, socket_victim = deployment.victim("widget"), deployment.victim("socket.io")
    assert widget.token is not None
    _, own_token = _minted(deployment)
    replays = [
        ("the widget victim's token for the socket.io victim", widget.token,
         socket_victim),
        ("the attacker's own token for the widget victim", own_token, widget),
        (
            "a token minted by another secret",
            widget_auth.token_for(secrets.token_hex(32), widget.sender),
            widget,
        ),
        (
            "a token signed with the API token",
            widget_auth.token_for(deployment.cluster.auth_token * 2, widget.sender),
            widget,
        ),
        (
            "a token signed with the action server's secret",
            widget_auth.token_for(
                deployment.cluster.action_secret * 2, socket_victim.sender
            ),
            socket_victim,
        ),
    ]  # fmt: skip
    cases = []
    for target in (SERVER, HAPROXY):
        for label, token, aimed in replays:
            for route, method, path in ROUTES:
                named = "" if route == "message" else f"?sender={aimed.sender}"
                cases.append(
                    http_case(
                        deployment, "replayed tokens", target,
                        f"{route} of the {aimed.name} victim with {label}",
                        {403}, method, path + named,
                        _route_body(route, aimed.sender), bearer(token),
                    )
                )  # fmt: skip
    return cases


def other_id_cases(deployment: Deployment) -> list[Case]:
    widget, rest = deployment.victim("widget"), deployment.victim("REST")
    _, own_token = _minted(deployment)
    refused: list[tuple[str, str, str, dict[str, Any] | None, dict[str, str]]] = [
        ("history ?sender=<widget victim>, no token", "GET",
         f"/webhooks/widget/history?sender={widget.sender}", None, {}),
        ("history ?sender=<REST victim>, the attacker's token", "GET",
         f"/webhooks/widget/history?sender={rest.sender}", None, bearer(own_token)),
        ("erasure ?sender=<REST victim>, no token", "DELETE",
         f"/webhooks/widget/conversation?sender={rest.sender}", None, {}),
        ("erasure ?sender=<REST victim>, the attacker's token", "DELETE",
         f"/webhooks/widget/conversation?sender={rest.sender}", None,
         bearer(own_token)),
        ("erasure ?sender=<widget victim>, no token", "DELETE",
         f"/webhooks/widget/conversation?sender={widget.sender}", None, {}),
        ("message to the widget victim's id in the body, a header naming another",
         "POST", "/webhooks/rest/webhook",
         {"sender": widget.sender, "message": "hi"}, bearer(own_token)),
    ]  # fmt: skip
    # ids that only look like hers are other conversations: taken, hers untouched
    lookalikes = [
        ("her id upper-cased", widget.sender.upper()),
        ("her id with a leading space", " " + widget.sender),
        ("her id with a trailing newline", widget.sender + "\n"),
        ("her id with a Cyrillic 'w'", "\u0448" + widget.sender[1:]),
    ]
    cases = []
    for target in (SERVER, HAPROXY):
        for label, method, path, body, headers in refused:
            cases.append(
                http_case(
                    deployment, "other conversations' ids", target, label,
                    {403}, method, path, body, headers,
                )
            )  # fmt: skip
        for label, sender in lookalikes:
            cases.append(
                http_case(
                    deployment, "other conversations' ids", target,
                    f"message as {label}, no token (another conversation)",
                    {200, 400}, "POST", "/webhooks/rest/webhook",
                    {"sender": sender, "message": "hello"},
                )
            )  # fmt: skip
    return cases


def path_variants(path: str) -> list[tuple[str, str]]:
    """(label, path) spellings of ``path`` that are not ``path``."""
    head, _, last = path.rpartition("/")
    first = path.lstrip("/").split("/", 1)
    encoded = head or "/"  # "/%2Fwebhook": a path still starts with a slash
    return [
        ("trailing slash", path + "/"),
        ("two trailing slashes", path + "//"),
        ("double leading slash", "/" + path),
        ("inner double slash",
         f"/{first[0]}//{first[1]}" if len(first) > 1 else "//" + path),
        ("%2F for the last slash", f"{encoded}%2F{last}"),
        ("%2f for the last slash", f"{encoded}%2f{last}"),
        ("trailing %2F", path + "%2F"),
        ("upper case", path.upper()),
        ("last segment capitalised", f"{head}/{last.capitalize()}"),
        ("/./ before the last segment", f"{head}/./{last}"),
        ("/../ detour",
         f"{head}/../{head.rsplit('/', 1)[-1]}/{last}" if head else f"/x/..{path}"),
        (";params", path + ";x=1"),
        ("trailing dot", path + "."),
        ("first letter %-encoded", f"{head}/%{ord(last[0]):02X}{last[1:]}"),
        ("trailing %20", path + "%20"),
        ("trailing %00", path + "%00"),
    ]  # fmt: skip


PATH_REFUSED = frozenset({400, 403, 404, 405})


def path_variant_cases(deployment: Deployment) -> list[Case]:
    widget = deployment.victim("widget")
    forged = bearer(f"v1.{widget.sender}.{_random_signature()}")
    cases = []
    for target in (SERVER, HAPROXY):
        for label, path in path_variants("/webhooks/rest/webhook"):
            cases.append(
                http_case(
                    deployment, "path variants", target,
                    f"REST message {path!r} ({label}), no sender",
                    PATH_REFUSED, "POST", path, {"message": "variant without a sender"},
                )
            )  # fmt: skip
        for route, method in (("history", "GET"), ("conversation", "DELETE")):
            for label, path in path_variants(f"/webhooks/widget/{route}"):
                cases.append(
                    http_case(
                        deployment, "path variants", target,
                        f"widget {route} {path!r} ({label}), forged token",
                        PATH_REFUSED, method, path, None, forged,
                    )
                )  # fmt: skip
        for label, path in path_variants("/webhooks/widget/session")[:6]:
            cases.append(
                http_case(
                    deployment, "path variants", target,
                    f"widget session {path!r} ({label})",
                    PATH_REFUSED, "POST", path,
                )
            )  # fmt: skip
    secret = {"X-Action-Secret": deployment.cluster.action_secret}
    call = {"next_action": "action_suggest_topics", "sender": widget.sender}
    for headers, with_secret in (({}, "without"), (secret, "with")):
        for route, method in (("/webhook", "POST"), ("/actions", "GET")):
            for label, path in path_variants(route):
                cases.append(
                    http_case(
                        deployment, "path variants", ACTIONS,
                        f"{method} {path!r} ({label}) {with_secret} the secret",
                        {404}, method, path, call if method == "POST" else None,
                        headers,
                    )
                )  # fmt: skip
    cases += [
        http_case(deployment, "path variants", ACTIONS,
                  "POST /webhook without the secret", {403}, "POST", "/webhook", call),
        http_case(deployment, "path variants", ACTIONS,
                  "GET /actions without the secret", {403}, "GET", "/actions"),
        http_case(deployment, "path variants", ACTIONS,
                  "POST /webhook, a wrong secret", {403}, "POST", "/webhook", call,
                  {"X-Action-Secret": "wrong"}),
        http_case(deployment, "path variants", ACTIONS,
                  "POST /webhook, the secret, not an action call", {400}, "POST",
                  "/webhook", call, secret),
    ]  # fmt: skip
    return cases


def oversize_cases(deployment: Deployment) -> list[Case]:
    rest = deployment.victim("REST").sender

    def message(**fields: Any) -> bytes:
        return json.dumps({"sender": rest, "message": "hi", **fields}).encode()

    deep = b"[" * 20_000 + b"]" * 20_000
    bodies: list[tuple[str, set[int | str], bytes, dict[str, str]]] = [
        ("body of 70 KB", {413}, message(message="x" * 70_000), {}),
        ("body of 300 KB", {413, CLOSED}, message(message="x" * 300_000), {}),
        ("sender of 257 characters", {400}, message(sender="s" * 257), {}),
        ("sender of 20,000 characters", {400}, message(sender="s" * 20_000), {}),
        ("message of 5,001 characters", {400}, message(message="x" * 5_001), {}),
        ("message of 60,000 characters of 'ikke blødning. '", {400, 413},
         message(message="ikke blødning. " * 4_000), {}),
        ("metadata of 3 KB", {400}, message(metadata={"language": "d" * 3_000}), {}),
        ("unknown metadata key", {400}, message(metadata={"evil": 1}), {}),
        ("metadata customData", {400}, message(metadata={"customData": {}}), {}),
        ("metadata __proto__", {400},
         message(metadata={"language": "da", "__proto__": {"admin": True}}), {}),
        ("metadata a list", {400}, message(metadata=["language"]), {}),
        ("metadata nested 20,000 deep", {400},
         b'{"sender":"%s","message":"x","metadata":{"language":%s}}'
         % (rest.encode(), deep), {}),
        ("the whole body nested 30,000 deep", {400}, b"[" * 30_000 + b"]" * 30_000, {}),
        ("invalid UTF-8", {400},
         b'{"sender":"' + rest.encode() + b'","message":"\xff\xfe"}', {}),
        ("not JSON", {400}, b"hello", {"Content-Type": "text/plain"}),
        ("form-encoded", {400}, f"sender={rest}&message=hi".encode(),
         {"Content-Type": "application/x-www-form-urlencoded"}),
        ("empty body", {400}, b"", {}),
        ("JSON array", {400}, b"[]", {}),
        ("JSON number", {400}, b"1", {}),
        ("JSON null", {400}, b"null", {}),
        ("JSON string", {400}, b'"hi"', {}),
        ("JSON true", {400}, b"true", {}),
        ("raw NUL byte inside the JSON", {400},
         b'{"sender":"' + rest.encode() + b'","message":"a\x00b"}', {}),
        ("sender a number", {400}, message(sender=7), {}),
        ("sender null", {400}, message(sender=None), {}),
        ("sender empty", {400}, message(sender=""), {}),
        ("sender blank", {400}, message(sender="   "), {}),
        ("no message", {400}, json.dumps({"sender": rest}).encode(), {}),
        ("message a number", {400}, message(message=5), {}),
        ("message an object", {400}, message(message={"text": "hi"}), {}),
        ("a 20 KB header", {400, 413, 431, CLOSED}, message(),
         {"X-Big": "a" * 20_000}),
        ("300 headers", {400, 413, 431, CLOSED}, message(),
         {f"X-H{n}": "v" * 60 for n in range(300)}),
        ("duplicate keys, the second sender empty", {400},
         b'{"sender":"' + rest.encode() + b'","message":"hi","sender":""}', {}),
    ]  # fmt: skip
    cases = []
    for target in (SERVER, HAPROXY):
        for label, expected, body, headers in bodies:
            cases.append(
                http_case(
                    deployment, "oversize and malformed", target,
                    f"REST message to the REST victim: {label}",
                    expected, "POST", "/webhooks/rest/webhook", body, headers,
                )
            )  # fmt: skip
        long_url = "/webhooks/widget/history?sender=" + "a" * 12_000
        cases.append(
            http_case(
                deployment, "oversize and malformed", target,
                "a URL of 12 KB", {400, 413, 414}, "GET", long_url,
            )
        )  # fmt: skip
    return cases


def _operator_token(deployment: Deployment) -> str:
    return (deployment.cluster.folder / "operator-token").read_text().strip()


def operator_cases(deployment: Deployment) -> list[Case]:
    widget = deployment.victim("widget")
    assert widget.token is not None
    real = _operator_token(deployment)
    forget = {"sender": widget.sender}
    purge = {"days": 1}
    cases = []
    through_lb: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
        ("forget, no token", "/webhooks/widget/operator/forget", forget, {}),
        ("forget, the widget's secret as token", "/webhooks/widget/operator/forget",
         forget, bearer(deployment.cluster.widget_secret)),
        ("forget, the real operator token", "/webhooks/widget/operator/forget",
         forget, bearer(real)),
        ("purge, the real operator token", "/webhooks/widget/operator/purge",
         purge, bearer(real)),
        ("forget 'Operator', the real token", "/webhooks/widget/Operator/forget",
         forget, bearer(real)),
        ("forget '%6Fperator', the real token", "/webhooks/widget/%6Fperator/forget",
         forget, bearer(real)),
        ("forget '//webhooks', the real token", "//webhooks/widget/operator/forget",
         forget, bearer(real)),
        ("forget with a trailing slash, the real token",
         "/webhooks/widget/operator/forget/", forget, bearer(real)),
        ("forget 'operator%2Fforget', the real token",
         "/webhooks/widget/operator%2Fforget", forget, bearer(real)),
        ("purge, no token", "/webhooks/widget/operator/purge", purge, {}),
    ]  # fmt: skip
    for label, path, body, headers in through_lb:
        cases.append(
            http_case(
                deployment, "operator routes", HAPROXY, label, {403, 404},
                "POST", path, body, headers,
            )
        )  # fmt: skip
    straight: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
        ("forget, no token", "/webhooks/widget/operator/forget", forget, {}),
        ("forget, a wrong token", "/webhooks/widget/operator/forget",
         forget, bearer(secrets.token_hex(32))),
        ("forget, the widget's secret as token", "/webhooks/widget/operator/forget",
         forget, bearer(deployment.cluster.widget_secret)),
        ("forget, the API token", "/webhooks/widget/operator/forget",
         forget, bearer(deployment.cluster.auth_token)),
        ("forget, the victim's widget token", "/webhooks/widget/operator/forget",
         forget, bearer(widget.token)),
        ("forget, the real token and X-Forwarded-For",
         "/webhooks/widget/operator/forget",
         forget, {**bearer(real), "X-Forwarded-For": "203.0.113.250"}),
        ("forget, the real token and Forwarded", "/webhooks/widget/operator/forget",
         forget, {**bearer(real), "Forwarded": "for=203.0.113.251"}),
        ("forget, the real token and X-Real-IP", "/webhooks/widget/operator/forget",
         forget, {**bearer(real), "X-Real-IP": "203.0.113.252"}),
        ("purge, no token", "/webhooks/widget/operator/purge", purge, {}),
        ("purge, the widget's secret as token", "/webhooks/widget/operator/purge",
         purge, bearer(deployment.cluster.widget_secret)),
    ]  # fmt: skip
    for label, path, body, headers in straight:
        cases.append(
            http_case(
                deployment, "operator routes", SERVER, label, {403},
                "POST", path, body, headers,
            )
        )  # fmt: skip
    return cases


def locked_api_cases(deployment: Deployment) -> list[Case]:
    widget = deployment.victim("widget")
    assert widget.token is not None
    conversation = f"/conversations/{widget.sender}"
    wrong = secrets.token_hex(16)
    calls: list[tuple[str, str, str, Any, dict[str, str]]] = [
        ("tracker, no token", "GET", f"{conversation}/tracker", None, {}),
        ("tracker, ?token=wrong", "GET", f"{conversation}/tracker?token={wrong}",
         None, {}),
        ("tracker, a wrong bearer", "GET", f"{conversation}/tracker", None,
         bearer(wrong)),
        ("tracker, her widget token as ?token=", "GET",
         f"{conversation}/tracker?token={quote(widget.token)}", None, {}),
        ("tracker, her widget token as bearer", "GET", f"{conversation}/tracker",
         None, bearer(widget.token)),
        ("tracker, the widget secret as ?token=", "GET",
         f"{conversation}/tracker?token={deployment.cluster.widget_secret}", None, {}),
        ("story, no token", "GET", f"{conversation}/story", None, {}),
        ("append events, no token", "POST", f"{conversation}/tracker/events",
         [{"event": "user", "text": "injected"}], {}),
        ("replace events, no token", "PUT", f"{conversation}/tracker/events", [], {}),
        ("message, no token", "POST", f"{conversation}/messages",
         {"text": "injected", "sender": "user"}, {}),
        ("trigger intent, no token", "POST", f"{conversation}/trigger_intent",
         {"name": "greet"}, {}),
        ("predict, no token", "POST", f"{conversation}/predict", None, {}),
        ("execute, no token", "POST", f"{conversation}/execute",
         {"name": "utter_greet"}, {}),
        ("load a model, no token", "PUT", "/model", {"model_file": "/etc/passwd"}, {}),
        ("unload the model, no token", "DELETE", "/model", None, {}),
        ("parse, no token", "POST", "/model/parse", {"text": "hi"}, {}),
        ("status, no token", "GET", "/status", None, {}),
        ("status, ?token=wrong", "GET", f"/status?token={wrong}", None, {}),
        ("domain, no token", "GET", "/domain", None, {}),
        ("train, no token", "POST", "/model/train", {}, {}),
    ]  # fmt: skip
    cases = []
    for target in (SERVER, HAPROXY):
        for label, method, path, body, headers in calls:
            cases.append(
                http_case(
                    deployment, "locked HTTP API", target, label, {401, 403},
                    method, path, body, headers,
                )
            )  # fmt: skip
    return cases


FOREIGN_ORIGINS = [
    "http://evil.example",
    "null",
    "http://localhost.evil.example",
    "http://127.0.0.1.evil.example",
]


def _no_foreign_cors(origin: str) -> Callable[[Outcome], str | None]:
    def check(outcome: Outcome) -> str | None:
        allowed = outcome.headers.get("access-control-allow-origin")
        if allowed in (origin, "*"):
            return f"Access-Control-Allow-Origin: {allowed}"
        return None

    return check


# any answer without the foreign origin's approval; through HAProxy also the
# rate limit's 429 (the locked API cases named the same conversation just before)
PREFLIGHT_ANSWERS: frozenset[int | str] = frozenset({200, 204, 400, 403, 404, 405})


def cors_cases(deployment: Deployment) -> list[Case]:
    widget = deployment.victim("widget")
    paths = [
        ("POST", "/webhooks/rest/webhook"),
        ("POST", "/webhooks/widget/session"),
        ("GET", "/webhooks/widget/history"),
        ("GET", f"/conversations/{widget.sender}/tracker"),
    ]
    cases = []
    for target in (SERVER, HAPROXY):
        for origin in FOREIGN_ORIGINS:
            for method, path in paths:
                cases.append(
                    http_case(
                        deployment, "CORS", target,
                        f"preflight {method} {path} from {origin}",
                        PREFLIGHT_ANSWERS | ({429} if target == HAPROXY else set()),
                        "OPTIONS", path, None,
                        {"Origin": origin, "Access-Control-Request-Method": method,
                         "Access-Control-Request-Headers": "authorization"},
                        _no_foreign_cors(origin),
                    )
                )  # fmt: skip
            cases.append(
                http_case(
                    deployment, "CORS", target,
                    f"socket.io handshake from {origin}", {400, 403}, "GET",
                    "/socket.io/?EIO=4&transport=polling", None, {"Origin": origin},
                    _no_foreign_cors(origin),
                )
            )  # fmt: skip
    return cases


def nul_cases(deployment: Deployment) -> list[Case]:
    """Code points PostgreSQL or Redis cannot store, in each field.

    Run last, the harmless fields first. A sender with a NUL stopped the Rasa
    server that took it (PostgreSQL's driver refuses the string with a
    ValueError, which Rasa's ``SQLTrackerStore.session_scope`` took for a
    missing schema, and exited on); a sender with a lone surrogate failed in
    the Redis lock store and was answered 503 "a shared service failed". Now
    the REST and callback channels refuse both with 400, and any other
    channel's message with such a sender is dropped before Rasa works on it
    (``assistant/server/user_input.py``): the servers must still answer after
    (the test checks every server at the end).
    """
    own = f"attacker-{secrets.token_hex(4)}"
    harmless: list[tuple[str, dict[str, Any]]] = [
        ("message with an escaped NUL", {"sender": own, "message": "a\u0000b"}),
        ("message with a lone surrogate", {"sender": own, "message": "a\ud800b"}),
        ("metadata language with a NUL", {"sender": own, "message": "hi",
                                          "metadata": {"language": "d\u0000a"}}),
    ]  # fmt: skip
    nul_sender = (
        "sender with an escaped NUL",
        {"sender": own + "\u0000x", "message": "hi"},
    )
    surrogate_sender = (
        "sender with a lone surrogate",
        {"sender": own + "\ud800", "message": "hi"},
    )
    answered: set[int | str] = {200}
    refused: set[int | str] = {400}
    plan = [
        (target, field, answered) for target in (SERVER, HAPROXY) for field in harmless
    ]
    plan += [
        (SERVER, nul_sender, refused),
        (SERVER2, surrogate_sender, refused),
        (HAPROXY, nul_sender, refused),
        (HAPROXY, surrogate_sender, refused),
    ]  # fmt: skip
    cases = [
        http_case(
            deployment, "NUL and invalid code points", target,
            f"REST message: {label}", expected, "POST", "/webhooks/rest/webhook",
            json.dumps(body).encode(),  # ensure_ascii: \u0000, \ud800 as escapes
        )
        for target, (label, body), expected in plan
    ]  # fmt: skip
    # the callback channel refuses such a sender as REST does (a lone
    # surrogate failed in the Redis lock store with HTTP 500)
    cases += [
        http_case(
            deployment, "NUL and invalid code points", target,
            f"callback message: {label}", refused, "POST",
            "/webhooks/callback/webhook", json.dumps(body).encode(),
        )
        for target in (SERVER, SERVER2)
        for label, body in (nul_sender, surrogate_sender)
    ]  # fmt: skip
    return cases


# --- slow clients ------------------------------------------------------------

HAPROXY_REQUEST_TIMEOUT = 10  # deploy/haproxy.cfg: timeout http-request


def _slow(deployment: Deployment, pieces: list[bytes], pause: float) -> Outcome:
    address = urlsplit(deployment.lb)
    started = time.monotonic()
    with socket.create_connection(
        (address.hostname or "127.0.0.1", address.port or 80), timeout=30
    ) as connection:
        connection.settimeout(30)
        try:
            for piece in pieces:
                connection.sendall(piece)
                time.sleep(pause)
                connection.setblocking(False)
                try:
                    early = connection.recv(4096)
                except BlockingIOError:
                    early = b""
                connection.setblocking(True)
                connection.settimeout(30)
                if early:
                    return _status_line(early, started)
            return _status_line(connection.recv(4096), started)
        except OSError as error:
            return Outcome(f"{CLOSED} ({type(error).__name__})")


def _status_line(data: bytes, started: float) -> Outcome:
    seconds = time.monotonic() - started
    parts = data.split(b" ", 2)
    if len(parts) >= 2 and parts[1].isdigit():
        return Outcome(parts[1].decode(), int(parts[1]), body=data.decode("latin-1"),
                       seconds=seconds)  # fmt: skip
    return Outcome(CLOSED, seconds=seconds)


def _within_timeout(outcome: Outcome) -> str | None:
    if outcome.seconds > HAPROXY_REQUEST_TIMEOUT + 3:
        return f"answered after {outcome.seconds:.1f} s"
    return None


def slow_cases(deployment: Deployment) -> list[Case]:
    head = b"GET /webhooks/rest/ HTTP/1.1\r\nHost: bot\r\n"
    post = (
        b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: bot\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    plans: list[tuple[str, list[bytes], float]] = [
        ("headers dripped one byte a second, never ended",
         [bytes([b]) for b in head * 3], 1.0),
        ("request line, then silence", [b"GET /webhooks/rest/ HTTP/1.1\r\n"], 0.0),
        ("headers, then 10 of 1,000 body bytes and silence",
         [post, b'{"sender":'], 0.0),
        ("headers, then the body dripped a byte every 2 s", [post] + [b" "] * 10, 2.0),
    ]  # fmt: skip
    return [
        Case(
            "slow clients", HAPROXY,
            f"{label} (408 within {HAPROXY_REQUEST_TIMEOUT} s + 3)",
            frozenset({"408"}),
            functools.partial(_slow, deployment, pieces, pause),
            _within_timeout,
        )
        for label, pieces, pause in plans
    ]  # fmt: skip


def run_concurrently(cases: list[Case]) -> Callable[[], list[tuple[Case, Outcome]]]:
    """Start every case in a thread; the returned function waits for them."""
    outcomes: dict[int, Outcome] = {}

    def run(index: int, case: Case) -> None:
        outcomes[index] = case.send()

    threads = [
        threading.Thread(target=run, args=(i, c), daemon=True)
        for i, c in enumerate(cases)
    ]
    for thread in threads:
        thread.start()

    def join() -> list[tuple[Case, Outcome]]:
        for thread in threads:
            thread.join(timeout=60)
        return [
            (case, outcomes.get(i, Outcome("no answer in 60 s")))
            for i, case in enumerate(cases)
        ]

    return join
