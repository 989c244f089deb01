"""`make shell`: talk to the bot in the terminal, buttons as numbered choices.

Rasa's own `rasa shell` shows buttons as a menu picked with the arrow keys:
typing a choice's number does nothing, and a bare Enter picks the first
choice, which on the referral check's red-flag question is "Ja", straight
into the urgent advice. Here a button is picked by typing its number; a bare
Enter picks nothing; anything else is sent as typed. Choices that are
numbers themselves (the pain scale) are listed with bullets, and the number
she types is her answer, as on WhatsApp (``assistant/text/choices.py``). The
urgent advice is marked as such. It talks to the running bot's REST channel.

Usage: python -m scripts.shell [--server http://127.0.0.1:5005] [--sender ID]
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import uuid
from typing import Any, TextIO

import requests

from assistant.text.choices import are_numbered, picked_payload

EXIT = "/stop"


def choose(line: str, buttons: list[dict[str, Any]]) -> str | None:
    """The message to send for what she typed, or None to send nothing.

    A number from 1 to len(buttons) picks that button (its payload), unless
    the choices are numbers themselves; a bare Enter picks nothing; anything
    else is sent as typed.
    """
    text = line.strip()
    if not text:
        return None
    return picked_payload(text, buttons) or text


def render_reply(reply: dict[str, Any], width: int = 78) -> list[str]:
    """A bot message as terminal lines: urgent mark, text, numbered buttons."""
    lines: list[str] = []
    if (reply.get("metadata") or {}).get("urgent") is True:
        lines.append("⚠  VIGTIGT / IMPORTANT")
    for paragraph in str(reply.get("text") or "").split("\n"):
        lines += textwrap.wrap(paragraph, width) or [""]
    buttons = reply.get("buttons") or []
    numbered = are_numbered(buttons)
    for number, button in enumerate(buttons, start=1):
        label = f"{number})" if numbered else "•"
        lines.append(f"   {label} {button.get('title', '')}")
    return lines


def hint(buttons: list[dict[str, Any]]) -> str:
    """What to type when there are buttons."""
    if not are_numbered(buttons):
        return "     (skriv dit tal / type your number)"
    last = len(buttons)
    choices = "1" if last == 1 else f"1–{last}"
    return f"     (skriv {choices} for et valg / type {choices} to pick)"


def run(server: str, sender: str, stdin: TextIO, stdout: TextIO) -> int:
    """Read messages, send them, print the replies, until /stop or EOF."""
    url = f"{server.rstrip('/')}/webhooks/rest/webhook"
    print(
        f"Skriv en besked og tryk Enter; {EXIT} afslutter. "
        f"(Type a message and press Enter; {EXIT} quits.)",
        file=stdout,
    )
    buttons: list[dict[str, Any]] = []
    while True:
        stdout.write("Du> ")
        stdout.flush()
        line = stdin.readline()
        if not line:
            print(file=stdout)
            return 0
        message = choose(line, buttons)
        if message is None:
            if buttons:
                print(hint(buttons), file=stdout)
            continue
        if message == EXIT:
            return 0
        try:
            response = requests.post(
                url, json={"sender": sender, "message": message}, timeout=60
            )
            response.raise_for_status()
            replies = response.json()
        except (requests.RequestException, ValueError) as error:
            print(f"(Kan ikke nå botten / can't reach the bot: {error})", file=stdout)
            continue
        buttons = []
        for reply in replies:
            for index, text in enumerate(render_reply(reply)):
                print(("Bot> " if index == 0 else "     ") + text, file=stdout)
            buttons = list(reply.get("buttons") or []) or buttons
        if buttons:
            print(hint(buttons), file=stdout)


def main(argv: list[str] | None = None) -> int:
    """Talk to the bot at --server."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="http://127.0.0.1:5005")
    parser.add_argument("--sender", default=f"shell-{uuid.uuid4().hex[:12]}")
    args = parser.parse_args(argv)
    try:
        return run(args.server, args.sender, sys.stdin, sys.stdout)
    except KeyboardInterrupt:
        print(file=sys.stdout)
        return 0


if __name__ == "__main__":
    sys.exit(main())
