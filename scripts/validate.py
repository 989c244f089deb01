"""Run `rasa data validate --fail-on-warnings` and fail on any unexpected warning.

Rasa 3.6's validator warns about three things that are not mistakes here, and
does not fail on some warnings it prints, so its exit code alone proves little:

- every retrieval intent listed in the domain is reported as "duplicated across
  domain files" (the importer merges it in again from the FAQ data);
- responses that only a form or a custom action sends (``utter_ask_<slot>``,
  the action-server fallback) are reported as "not used in any story or rule";
- the feedback intents (``feedback_helpful``, ``feedback_unhelpful``) have no
  NLU examples on purpose: only the widget's 👍/👎 payloads send them.

Everything else it prints as a warning fails this check.

Usage: python scripts/validate.py
"""

from __future__ import annotations

import re
import subprocess
import sys

EXPECTED = [
    re.compile(r"duplicated intents have been found across multiple domain files: faq"),
    re.compile(r"The utterance 'utter_ask_\w+' is not used in any story or rule\."),
    re.compile(
        r"The utterance 'utter_action_server_unavailable' is not used in any story"
    ),
    re.compile(
        r"The intent 'feedback_(un)?helpful' is listed in the domain file, "
        r"but is not found in the NLU training data\."
    ),
]
WARNING = re.compile(r"UserWarning: (.*)")


def unexpected_warnings(output: str) -> list[str]:
    """The warnings in the validator's output that are not known false alarms."""
    warnings = [match.group(1).strip() for match in WARNING.finditer(output)]
    return [w for w in warnings if not any(p.search(w) for p in EXPECTED)]


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
