"""Run `rasa data validate --fail-on-warnings` and fail on any unexpected warning.

Rasa 3.6's validator warns about four things that are not mistakes here, and
does not fail on some warnings it prints, so its exit code alone proves little:

- every retrieval intent listed in the domain is reported as "duplicated across
  domain files" (the importer merges it in again from the FAQ data);
- responses that only a form or a custom action sends (``utter_ask_<slot>``,
  the action-server fallback, and every response the actions in actions/ name:
  scripts/action_texts.py) are reported as "not used in any story or rule";
- the pieces the response generator adds to ``utter_source`` (her own words
  note, and the reply before any answer: assistant/nlg/response_generator.py)
  are reported as "not used in any story or rule" too;
- the feedback intents (``feedback_helpful``, ``feedback_unhelpful``) have no
  NLU examples on purpose: only the widget's 👍/👎 payloads send them.

Everything else it prints as a warning fails this check.

Usage: python scripts/validate.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path

if not __package__:  # run as `python scripts/validate.py` (make validate)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.action_texts import response_names  # noqa: E402

EXPECTED = [
    re.compile(r"duplicated intents have been found across multiple domain files: faq"),
    re.compile(r"The utterance 'utter_ask_\w+' is not used in any story or rule\."),
    re.compile(
        r"The utterance 'utter_action_server_unavailable' is not used in any story"
    ),
    re.compile(
        r"The utterance 'utter_source_(own_words|nothing)' is not used in any story"
    ),
    re.compile(
        r"The intent 'feedback_(un)?helpful' is listed in the domain file, "
        r"but is not found in the NLU training data\."
    ),
]
WARNING = re.compile(r"UserWarning: (.*)")
UNUSED_RESPONSE = re.compile(
    r"The utterance '(\S+)' is not used in any story or rule\."
)


def unexpected_warnings(
    output: str, sent_by_actions: Collection[str] | None = None
) -> list[str]:
    """The warnings in the validator's output that are not known false alarms.

    ``sent_by_actions``: the responses the custom actions send (read from
    actions/ if None), which no story or rule names.
    """
    if sent_by_actions is None:
        sent_by_actions = response_names()
    warnings = [match.group(1).strip() for match in WARNING.finditer(output)]
    return [
        w
        for w in warnings
        if not any(p.search(w) for p in EXPECTED)
        and not _sent_by_actions(w, sent_by_actions)
    ]


def _sent_by_actions(warning: str, sent_by_actions: Collection[str]) -> bool:
    unused = UNUSED_RESPONSE.search(warning)
    return unused is not None and unused.group(1) in sent_by_actions


def main() -> int:
    """Validate; print and fail on unexpected warnings."""
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    unexpected = unexpected_warnings(output)
    for warning in unexpected:
        print(f"unexpected validation warning: {warning}", file=sys.stderr)
    if result.returncode != 0 or unexpected:
        print(output[-4000:], file=sys.stderr)
        return 1
    print("rasa data validate: clean (only Rasa 3.6's known false alarms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
