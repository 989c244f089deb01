"""Custom action calls on the project's HTTP/1.1 client answer as Rasa's request.

Against real HTTP servers on 127.0.0.1: aiohttp's web server, and for what
aiohttp's server does not send (a chunked answer, an answer that ends with
the connection) a server written on asyncio's streams. The connection reuse,
a restarted server and a connection closed as the call arrives are
tests/unit/test_action_connection.py (they take this client too).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from assistant.server import action_http
from assistant.server.action_connection import (
    KeptConnectionEndpoint,
    close_shared_session,
)


async def _serve(handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/webhook"


@pytest.fixture
async def seen() -> AsyncIterator[list[web.Request]]:
    requests: list[web.Request] = []
    yield requests
    await close_shared_session()


async def test_a_call_arrives_as_rasas_request_sends_it(seen):
    bodies: list[dict] = []

    async def webhook(request: web.Request) -> web.Response:
        seen.append(request)
        bodies.append(await request.json())
        return web.json_response({"events": [], "responses": [{"text": "ø"}]})

    runner, url = await _serve(webhook)
    try:
        endpoint = KeptConnectionEndpoint.of(
            EndpointConfig(
                url,
                headers={"X-Action-Secret": "s"},
                token="t",
                basic_auth={"username": "u", "password": "p"},
            )
        )
        call = {"next_action": "action_x", "tracker": {"text": "bækken 🙂 a/b"}}
        answer = await endpoint.request(json=call, method="post", timeout=300)
        via_aiohttp = await EndpointConfig(
            url,
            headers={"X-Action-Secret": "s"},
            token="t",
            basic_auth={"username": "u", "password": "p"},
        ).request(json=call, method="post")
    finally:
        await runner.cleanup()
    assert answer == via_aiohttp == {"events": [], "responses": [{"text": "ø"}]}
    ours, theirs = seen
    assert bodies[0] == bodies[1] == call
    assert ours.query == theirs.query and ours.query["token"] == "t"
    for name in ("Content-Type", "X-Action-Secret", "Authorization", "Host"):
        assert ours.headers[name] == theirs.headers[name], name


@pytest.mark.parametrize("status", [400, 404, 500])
async def test_an_error_status_is_rasas_client_response_error(seen, status):
    async def webhook(request: web.Request) -> web.Response:
        return web.json_response(
            {"action_name": "validate_x", "error": "no"}, status=status
        )

    runner, url = await _serve(webhook)
    try:
        with pytest.raises(ClientResponseError) as raised:
            await KeptConnectionEndpoint.of(EndpointConfig(url)).request(json={})
    finally:
        await runner.cleanup()
    assert raised.value.status == status
    assert json.loads(raised.value.text) == {"action_name": "validate_x", "error": "no"}


async def test_an_answer_that_is_not_json_is_none(seen):
    async def webhook(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    runner, url = await _serve(webhook)
    try:
        assert (
            await KeptConnectionEndpoint.of(EndpointConfig(url)).request(json={})
            is None
        )
    finally:
        await runner.cleanup()


async def test_an_unreachable_server_is_aiohttps_connection_error(unused_tcp_port):
    endpoint = KeptConnectionEndpoint.of(
        EndpointConfig(f"http://127.0.0.1:{unused_tcp_port}/webhook")
    )
    with pytest.raises(aiohttp.ClientConnectionError):
        await endpoint.request(json={})


async def _stream_server(
    answer: bytes, calls: list[bytes]
) -> tuple[asyncio.Server, str]:
    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            calls.append(await reader.readexactly(length))
            writer.write(answer)
            await writer.drain()
            if b"Connection: close" in answer or b"Content-Length" not in answer:
                if b"chunked" not in answer:
                    writer.close()
                    return

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/webhook"


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n3;x=1\r\n 1}\r\n0\r\n\r\n',
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        b'Content-Length: 8\r\n\r\n{"a": 1}',
        b'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"a": 1}',
        b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.x+json; charset=utf-8\r\n"
        b'Content-Length: 8\r\n\r\n{"a": 1}',
    ],
    ids=["chunked", "connection-close", "http-1.0-to-the-end", "json-suffix"],
)
async def test_every_way_an_answer_may_end_is_read(answer):
    calls: list[bytes] = []
    server, url = await _stream_server(answer, calls)
    try:
        endpoint = KeptConnectionEndpoint.of(EndpointConfig(url))
        for number in range(3):
            assert await endpoint.request(json={"n": number}) == {"a": 1}
        assert [json.loads(call) for call in calls] == [{"n": 0}, {"n": 1}, {"n": 2}]
    finally:
        await close_shared_session()
        server.close()
        await server.wait_closed()


async def test_an_answer_that_is_not_http_is_a_client_error():
    server, url = await _stream_server(b"SSH-2.0-OpenSSH\r\n\r\n", [])
    try:
        with pytest.raises(aiohttp.ClientError):
            await KeptConnectionEndpoint.of(EndpointConfig(url)).request(json={})
    finally:
        await close_shared_session()
        server.close()
        await server.wait_closed()


async def test_a_call_cancelled_half_way_never_lends_its_connection(seen):
    # the safety net's time limit cancels a slow call: its answer, arriving
    # later, must not be read as the next call's
    async def webhook(request: web.Request) -> web.Response:
        seen.append(request)
        call = await request.json()
        if call["n"] == 1:
            await asyncio.sleep(0.5)
        return web.json_response(call)

    runner, url = await _serve(webhook)
    try:
        endpoint = KeptConnectionEndpoint.of(EndpointConfig(url))
        assert await endpoint.request(json={"n": 0}) == {"n": 0}
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(endpoint.request(json={"n": 1}), 0.1)
        assert await endpoint.request(json={"n": 2}) == {"n": 2}
        await asyncio.sleep(0.6)
        assert await endpoint.request(json={"n": 3}) == {"n": 3}
    finally:
        await runner.cleanup()


def test_only_plain_http_without_a_ca_file_or_compression_takes_it():
    url = "http://127.0.0.1:5055/webhook"
    assert action_http.can_post(url, None, False, {"json": {}, "timeout": 300})
    assert not action_http.can_post("https://actions.example/webhook", None, False, {})
    assert not action_http.can_post(url, "ca.pem", False, {})
    assert not action_http.can_post(url, None, True, {})
    assert not action_http.can_post(url, None, False, {"proxy": "http://p"})


def test_a_header_with_a_line_break_is_refused():
    with pytest.raises(ValueError):
        action_http.request_head("post", "http://h/x", {"X": "a\r\nEvil: 1"}, 0)
    head = action_http.request_head("post", "http://h:5055/x?token=t", {}, 3)
    assert head.startswith(b"POST /x?token=t HTTP/1.1\r\nHost: h:5055\r\n")
    assert head.endswith(b"Content-Length: 3\r\n\r\n")


def test_parameters_are_added_to_the_query():
    assert action_http.url_with_parameters("http://h/x", {}) == "http://h/x"
    assert (
        action_http.url_with_parameters("http://h/x?a=1", {"token": "t v"})
        == "http://h/x?a=1&token=t+v"
    )
