"""`make feedback-report`: what to look at when maintaining the answers.

Lists, newest first, from the real tracker store (Rasa's ``events`` table,
read with SQLAlchemy, so SQLite and PostgreSQL alike):

- every FAQ answer that got a 👎 (``/feedback_unhelpful``), with the question
  it answered;
- every question the bot did not understand well enough and asked back
  (``action_suggest_topics``: "did you mean ...?").

Above the lists, per FAQ answer: how many 👍 and 👎 it got.

The store is the one in endpoints.yml (``tracker_store``), or ``--db-url``.

Usage: python -m scripts.feedback_report [--endpoints endpoints.yml]
       [--db-url URL] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assistant.channels.reply_metadata import (
    FEEDBACK_FOR,
    RESPONSE,
    is_faq_answer,
    reply_metadata,
)
from assistant.config.endpoints import DEFAULT_ENDPOINTS, database_url, exit_on_error
from knowledge import intents
from knowledge.ask_back import ASK_BACK_ACTION

HELPFUL = intents.FEEDBACK_HELPFUL
UNHELPFUL = intents.FEEDBACK_UNHELPFUL


@dataclass(frozen=True)
class Finding:
    """One line of the report."""

    kind: str  # "unhelpful" or "asked back"
    time: float
    sender: str
    question: str
    response: str = ""  # the FAQ answer's response name (for "unhelpful")
    answer: str = ""


@dataclass
class _Answer:
    response: str
    text: str
    question: str


def _intent(event: dict[str, Any]) -> str:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    name = intent.get("name")
    if name:
        return str(name)
    text = str(event.get("text") or "")
    return text[1:] if text in (f"/{HELPFUL}", f"/{UNHELPFUL}") else ""


def _is_question(event: dict[str, Any]) -> bool:
    return _intent(event) not in (HELPFUL, UNHELPFUL)


def findings_in_conversation(
    sender: str, events: Iterable[dict[str, Any]]
) -> tuple[list[Finding], Counter[tuple[str, str]]]:
    """The 👎 answers and asked-back questions of one conversation.

    ``events`` are the conversation's events in order, as Rasa stores them
    (``Event.as_dict()``). Also returns the ratings per (response, intent).
    A rating names its answer in the message's metadata
    (``feedback_for.response``); without it, the latest FAQ answer is meant.
    """
    findings: list[Finding] = []
    ratings: Counter[tuple[str, str]] = Counter()
    question = ""
    answers: list[_Answer] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent = _intent(event)
            if intent in (HELPFUL, UNHELPFUL):
                answer = _rated_answer(answers, event)
                if answer is None:
                    continue
                ratings[(answer.response, intent)] += 1
                if intent == UNHELPFUL:
                    findings.append(
                        Finding(
                            "unhelpful",
                            float(event.get("timestamp") or 0),
                            sender,
                            answer.question,
                            answer.response,
                            answer.text,
                        )
                    )
            elif _is_question(event):
                question = str(event.get("text") or "")
        elif kind == "bot":
            metadata = reply_metadata(event.get("metadata") or {})
            if is_faq_answer(metadata):
                answers.append(
                    _Answer(str(metadata[RESPONSE]), str(event.get("text")), question)
                )
        elif kind == "action" and event.get("name") == ASK_BACK_ACTION:
            findings.append(
                Finding(
                    "asked back", float(event.get("timestamp") or 0), sender, question
                )
            )
    return findings, ratings


def _rated_answer(answers: list[_Answer], event: dict[str, Any]) -> _Answer | None:
    rated = ((event.get("metadata") or {}).get(FEEDBACK_FOR) or {}).get(RESPONSE)
    for answer in reversed(answers):
        if rated in (None, answer.response):
            return answer
    return None


def stored_conversations(
    url: str | sa.engine.URL,
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Each conversation's id and events, from Rasa's ``events`` table."""
    engine = sa.create_engine(url)
    try:
        events = sa.Table("events", sa.MetaData(), autoload_with=engine)
        query = sa.select(events.c.sender_id, events.c.data).order_by(
            events.c.sender_id, events.c.id
        )
        with engine.connect() as connection:
            sender: str | None = None
            batch: list[dict[str, Any]] = []
            for row in connection.execute(query):
                if row.sender_id != sender and batch:
                    yield str(sender), batch
                    batch = []
                sender = row.sender_id
                batch.append(json.loads(row.data))
            if batch:
                yield str(sender), batch
    finally:
        engine.dispose()


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC"
    )


def _cell(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(
    findings: list[Finding], ratings: Counter[tuple[str, str]], limit: int
) -> str:
    """The report as Markdown, newest first."""
    lines = ["# Feedback report", ""]
    responses = sorted({response for response, _ in ratings})
    lines += ["## Ratings per FAQ answer", ""]
    if responses:
        lines += ["| answer | 👍 | 👎 |", "|---|---|---|"]
        by_unhelpful = sorted(responses, key=lambda r: (-ratings[(r, UNHELPFUL)], r))
        for response in by_unhelpful:
            lines.append(
                f"| `{response}` | {ratings[(response, HELPFUL)]} "
                f"| {ratings[(response, UNHELPFUL)]} |"
            )
    else:
        lines.append("No answer has been rated yet.")
    newest = sorted(findings, key=lambda f: f.time, reverse=True)
    unhelpful = [f for f in newest if f.kind == "unhelpful"][:limit]
    asked_back = [f for f in newest if f.kind == "asked back"][:limit]
    lines += ["", "## Answers that got a 👎 (newest first)", ""]
    if unhelpful:
        lines += ["| when | answer | question | conversation |", "|---|---|---|---|"]
        for f in unhelpful:
            lines.append(
                f"| {_when(f.time)} | `{f.response}`: {_cell(f.answer, 80)} "
                f"| {_cell(f.question)} | `{f.sender}` |"
            )
    else:
        lines.append("None.")
    lines += ["", "## Questions that were asked back (newest first)", ""]
    if asked_back:
        lines += ["| when | question | conversation |", "|---|---|---|"]
        for f in asked_back:
            lines.append(f"| {_when(f.time)} | {_cell(f.question)} | `{f.sender}` |")
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def report(url: str | sa.engine.URL, limit: int = 100) -> str:
    """The whole report for the store at ``url``."""
    findings: list[Finding] = []
    ratings: Counter[tuple[str, str]] = Counter()
    for sender, events in stored_conversations(url):
        found, rated = findings_in_conversation(sender, events)
        findings += found
        ratings.update(rated)
    return render(findings, ratings, limit)


def main(argv: list[str] | None = None) -> int:
    """Print the report for the configured tracker store."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoints", type=Path, default=Path(DEFAULT_ENDPOINTS))
    parser.add_argument("--db-url", help="an SQLAlchemy URL instead of endpoints.yml")
    parser.add_argument("--limit", type=int, default=100, help="lines per list")
    args = parser.parse_args(argv)
    url = args.db_url or exit_on_error(lambda: database_url(args.endpoints))
    if not args.db_url and str(url).startswith("sqlite:///"):
        path = Path(str(url)[len("sqlite:///") :])
        if not path.exists():
            print(f"No conversations yet: {path} does not exist.")
            return 0
    try:
        sys.stdout.write(report(url, args.limit))
    except sa.exc.SQLAlchemyError as error:
        print(f"Cannot read the tracker store: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
