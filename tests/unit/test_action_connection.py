"""Custom action calls reuse their HTTP connection, and survive a closed one.

Against a real HTTP server on 127.0.0.1 that records which connection each
request came on (the client's port).
"""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from assistant.server.action_connection import (
    KeptConnectionEndpoint,
    call_json,
    close_shared_session,
)


async def _server(ports: list[int], port: int = 0) -> tuple[web.AppRunner, str]:
    async def webhook(request: web.Request) -> web.Response:
        assert request.transport is not None
        ports.append(request.transport.get_extra_info("peername")[1])
        call = await request.json()
        return web.json_response({"events": [], "responses": [], **call})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, reuse_address=True)
    await site.start()
    bound = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{bound}/webhook"


def _endpoint(url: str) -> KeptConnectionEndpoint:
    return KeptConnectionEndpoint.of(
        EndpointConfig(url, headers={"X-Action-Secret": "s"}, token="t")
    )


async def test_calls_reuse_one_connection():
    ports: list[int] = []
    runner, url = await _server(ports)
    try:
        endpoint = _endpoint(url)
        for number in range(3):
            answer = await endpoint.request(json={"call": number}, method="post")
            assert answer["call"] == number
        assert len(ports) == 3 and len(set(ports)) == 1
    finally:
        await close_shared_session()
        await runner.cleanup()


async def test_rasas_endpoint_opens_a_connection_per_call():
    # what the kept connection replaces: the check above can tell them apart
    ports: list[int] = []
    runner, url = await _server(ports)
    try:
        endpoint = EndpointConfig(url)
        for number in range(3):
            await endpoint.request(json={"call": number}, method="post")
        assert len(set(ports)) == 3
    finally:
        await runner.cleanup()


async def test_a_call_after_the_server_restarted_goes_through():
    ports: list[int] = []
    runner, url = await _server(ports)
    endpoint = _endpoint(url)
    try:
        await endpoint.request(json={"call": 1}, method="post")
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        await runner.cleanup()  # the kept connection is closed by the server
        runner, _ = await _server(ports, port)
        answer = await endpoint.request(json={"call": 2}, method="post")
        assert answer["call"] == 2
    finally:
        await close_shared_session()
        await runner.cleanup()


async def test_a_connection_closed_as_the_call_arrives_is_retried_once():
    # the server's idle limit ends a kept connection just as a call goes out
    seen: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        assert request.transport is not None
        seen.append(request.transport.get_extra_info("peername")[1])
        if len(seen) == 2:  # the second call, on the kept connection
            request.transport.close()
            raise web.HTTPInternalServerError()
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/webhook"
    try:
        endpoint = _endpoint(url)
        await endpoint.request(json={}, method="post")
        assert await endpoint.request(json={}, method="post") == {
            "events": [],
            "responses": [],
        }
        assert len(seen) == 3 and seen[0] == seen[1] != seen[2]
    finally:
        await close_shared_session()
        await runner.cleanup()


async def test_the_endpoint_keeps_its_settings():
    endpoint = EndpointConfig(
        "http://127.0.0.1:5055/webhook",
        headers={"X-Action-Secret": "s"},
        enable_selective_domain=True,
    )
    endpoint.type = "rest"
    kept = KeptConnectionEndpoint.of(endpoint)
    assert (kept.url, kept.headers, kept.kwargs, kept.type) == (
        endpoint.url,
        endpoint.headers,
        {"enable_selective_domain": True},
        "rest",
    )
    assert KeptConnectionEndpoint.of(kept) is kept
    await asyncio.sleep(0)


@pytest.mark.parametrize(
    "value",
    [
        {"text": "Kommer bækkenløsning igen? 🙂", "confidence": 0.1234567891234567},
        {"text": "a/b </script>", "slots": {"pain_level": [7.0, 8.0], "x": None}},
        {"text": "lone \udc80 surrogate"},  # ujson cannot: the standard library
        {"big": 2**70},  # beyond 64 bits: the standard library
    ],
)
def test_the_call_json_is_what_the_standard_library_reads(value):
    assert json.loads(call_json(value)) == json.loads(json.dumps(value))
