"""Shared by the privacy and security tests: the widget's protocol and the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import requests

from harness.servers import RasaServer


def new_widget_conversation(bot: RasaServer) -> tuple[str, str]:
    """(conversation id, token), as the widget gets them on first contact."""
    response = requests.post(f"{bot.url}/webhooks/widget/session", timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["sender"], body["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def history(bot: RasaServer, token: str | None, **params: Any) -> requests.Response:
    headers = bearer(token) if token else {}
    return requests.get(
        f"{bot.url}/webhooks/widget/history", headers=headers, params=params, timeout=30
    )


def stored_events(database: Path, sender: str) -> list[tuple[str, str]]:
    """(type, data JSON) of every stored row of a conversation, read from SQLite."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
            (sender,),
        ).fetchall()


def close_quickly(client: Any) -> None:
    """Disconnect a socket.io polling client without waiting for its long-poll.

    ``Client.disconnect`` waits for the pending poll to end (up to the 25 s
    ping interval); the server sees the closed transport either way.
    """
    client.eio.disconnect(abort=True)
