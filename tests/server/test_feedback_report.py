"""`make feedback-report` reads what the real server stored, while it runs.

The shipped endpoints.yml, the server's database named by ``DB_NAME``.
"""

from tests.operator import make


def _report(bot) -> str:
    done = make("feedback-report", DB_NAME=str(bot.database))
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout


def _ratings(report: str, response: str) -> tuple[int, int]:
    """The 👍 and 👎 counts of one answer (other tests rate answers too)."""
    for line in report.splitlines():
        if line.startswith(f"| `{response}` |"):
            helpful, unhelpful = line.strip("| ").split("|")[1:3]
            return int(helpful), int(unhelpful)
    return 0, 0


def test_the_report_lists_the_thumbs_down_and_the_asked_back_question(bot, sender):
    before = _ratings(_report(bot), "utter_faq/what_is_pgp")
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

    report = _report(bot)
    unhelpful = report.split("## Answers that got a 👎")[1].split("## Questions")[0]
    ours = [line for line in unhelpful.splitlines() if f"`{sender}`" in line]
    assert len(ours) == 1  # the answer that got a 👍 is not listed
    assert "`utter_faq/recurrence`" in ours[0]
    assert "Kommer bækkenløsning igen ved næste graviditet?" in ours[0]
    asked_back = report.split("## Questions that were asked back")[1]
    assert f"| jeg har et spørgsmål om bækkenet | `{sender}` |" in asked_back
    assert _ratings(report, "utter_faq/what_is_pgp") == (before[0] + 1, before[1])
