"""`make feedback-report` reads what the real server stored."""

import subprocess

from harness.servers import BIN, ROOT


def test_the_report_lists_the_thumbs_down_and_the_asked_back_question(bot, sender):
    bot.send(sender, "Kommer bækkenløsning igen ved næste graviditet?")
    bot.send(
        sender,
        "/feedback_unhelpful",
        metadata={"feedback_for": {"response": "utter_faq/recurrence"}},
    )
    bot.send(sender, "Hvad er bækkenløsning?")
    bot.send(sender, "/feedback_helpful")
    bot.send(sender, "jeg har et spørgsmål om bækkenet")  # asked back
    assert any(
        e.get("name") == "action_suggest_topics" for e in bot.tracker(sender)["events"]
    )

    result = subprocess.run(
        [str(BIN / "python"), "-m", "scripts.feedback_report"]
        + ["--db-url", f"sqlite:///{bot.database}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = result.stdout
    unhelpful = report.split("## Answers that got a 👎")[1].split("## Questions")[0]
    assert "Kommer bækkenløsning igen ved næste graviditet?" in unhelpful
    assert "`utter_faq/recurrence`" in unhelpful and sender in unhelpful
    assert "Hvad er bækkenløsning?" not in unhelpful  # that one got a 👍
    asked_back = report.split("## Questions that were asked back")[1]
    assert "jeg har et spørgsmål om bækkenet" in asked_back
    assert "| `utter_faq/what_is_pgp` | 1 | 0 |" in report


def test_no_database_yet_is_said_plainly(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp_path}/none.db\n"
    )
    result = subprocess.run(
        [str(BIN / "python"), "-m", "scripts.feedback_report"]
        + ["--endpoints", str(endpoints)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert "No conversations yet" in result.stdout
