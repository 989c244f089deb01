"""Sanic's access log: built only where Rasa lets its lines through.

Rasa sets Sanic's access logger to ``LOG_LEVEL_LIBRARIES`` (ERROR unless
set), so by default no access line is written; the launcher then switches
Sanic's access log off (``SANIC_ACCESS_LOG``), which built every line anyway.
An operator who asks for the libraries' INFO lines still gets one per request.
"""

from __future__ import annotations

from harness.servers import RasaServer


def test_an_operator_asking_for_info_lines_gets_the_access_log(tmp_path):
    server = RasaServer(
        tmp_path,
        tmp_path / "bot.db",
        "",
        extra_env={"LOG_LEVEL_LIBRARIES": "INFO"},
    ).start()
    try:
        assert server.texts("access-log", "hej")  # answered
    finally:
        server.stop()
    lines = [
        line
        for line in server.log.read_text().splitlines()
        if "/webhooks/rest/webhook" in line and "POST" in line
    ]
    assert lines, "no access line although LOG_LEVEL_LIBRARIES=INFO"


def test_by_default_no_access_line_is_written(bot: RasaServer) -> None:
    assert bot.texts("no-access-log", "hej")
    log = bot.log.read_text()
    assert not [
        line for line in log.splitlines() if "POST" in line and "/webhooks/rest" in line
    ]
