"""The running server freezes its loaded objects before it answers.

A full collection of the collector walked the ~550,000 objects of the loaded
server (0.43 s in which no message was answered);
``assistant/server/garbage_collection.py`` freezes them once the model is
loaded. The server started as `make run` starts it says so in its log.
"""

from __future__ import annotations

import re

from harness.servers import RasaServer


def test_the_server_froze_its_loaded_objects_before_it_was_up(bot: RasaServer) -> None:
    log = bot.log.read_text()
    frozen = re.search(r"Garbage collector: ([\d,]+) objects of the loaded server", log)
    assert frozen is not None, "the server did not settle its garbage collector"
    assert int(frozen.group(1).replace(",", "")) > 100_000  # Rasa, spaCy, the model
    assert frozen.start() < log.index("Rasa server is up and running")
