"""A model that cannot be loaded stops the server; it does not run silent.

Rasa logs the load error and then serves with no model, dropping every
message (HTTP 200 with ``[]``). Started the project's way (the launcher, as
`make run` does) with the shipped model damaged, the server must exit with a
message that names the model and says to retrain, and answer nothing before.
"""

from __future__ import annotations

import io
import tarfile
import time
from pathlib import Path

import requests

from harness.servers import MODEL, RasaServer

CLASSIFIER_SETTINGS = "linear_model.json"


def damaged_copy(model: Path, into: Path) -> Path:
    """The model with its intent classifier's settings file cut short."""
    damaged = into / "damaged.tar.gz"
    with tarfile.open(model) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name.endswith(CLASSIFIER_SETTINGS):
                broken = b'{"classes": ['
                member.size = len(broken)
                data = io.BytesIO(broken)
            target.addfile(member, data)
    return damaged


def test_a_damaged_model_stops_the_server_with_a_message(tmp_path):
    server = RasaServer(
        tmp_path, tmp_path / "bot.db", "", model=damaged_copy(MODEL, tmp_path)
    )
    server.launch()
    assert server.process is not None
    answered = []
    deadline = time.monotonic() + 120
    try:
        while server.process.poll() is None and time.monotonic() < deadline:
            try:
                reply = requests.post(
                    f"{server.url}/webhooks/rest/webhook",
                    json={"sender": "her", "message": "hej"},
                    timeout=5,
                )
                answered.append(reply.status_code)
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        exit_code = server.process.poll()
    finally:
        server.stop()
    log = server.log.read_text()
    assert exit_code not in (None, 0), log[-3000:]
    assert f"The model {server.model} could not be loaded" in log
    assert "Retrain it (`make train`)" in log
    assert "Rasa server is up and running" not in log
    assert answered == []  # never served with no model
