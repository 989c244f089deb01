"""Conversations are kept in SQLite and survive a restart of the server."""

from harness.servers import RasaServer


def test_a_conversation_survives_a_restart(tmp_path, action_server):
    database = tmp_path / "conversations.db"
    first = RasaServer(tmp_path, database, action_server.url).start()
    try:
        first.send("kept", "Why do pregnant women get pelvic girdle pain?")
    finally:
        first.stop()
    assert database.stat().st_size > 0

    second = RasaServer(tmp_path, database, action_server.url).start()
    try:
        events = second.tracker("kept")["events"]
        said = [e["text"] for e in events if e["event"] == "user"]
        answered = [e["text"] for e in events if e["event"] == "bot"]
        assert said == ["Why do pregnant women get pelvic girdle pain?"]
        assert answered and "relaxin" in answered[0]
        # the conversation goes on in its language: a button payload shows none
        [reply] = second.texts("kept", "/faq/posture")
        assert reply.startswith("According to the article, paying attention")
    finally:
        second.stop()
