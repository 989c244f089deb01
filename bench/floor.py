"""The HTTP floor: a bare Sanic endpoint that returns a fixed reply.

Usage: python -m bench.floor PORT
"""

from __future__ import annotations

import sys

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

app = Sanic("bench_floor")
REPLY = [{"recipient_id": "bench", "text": "Fixed reply."}]


@app.post("/webhooks/rest/webhook")
async def webhook(_: Request) -> HTTPResponse:
    """Answer every message with the same reply."""
    return response.json(REPLY)


@app.get("/status")
async def status(_: Request) -> HTTPResponse:
    """Ready."""
    return response.json({"status": "ok"})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, workers=1)
