"""What the custom actions say, read from their source code.

The actions keep no text of their own: they send domain responses by name,
always as string literals (``utter_message(response="utter_reask_pain_level")``),
and Rasa renders them; the replies built from parts (the referral summary,
the ask-back) name their parts in the shared modules that build them
(``knowledge/referral_summary.py``, ``referral_answers.py``, ``ask_back.py``,
rendered by ``assistant/nlg/``). Reading that source therefore tells

- ``response_names``: every response the actions may send or a reply is
  built from, so ``rasa data validate`` need not call them unused
  (scripts/validate.py) and a test can check each exists in the domain;
- ``prose``: string literals that read like text for a person (two words or
  more, a word with a space before or after it to be glued to others, or a
  Danish letter), which belong in the domain, not in Python.
  Docstrings, exception and log messages (for developers) and regular
  expressions (what she may type, actions/referral/parsing.py) are not text
  she reads and are skipped. A single plain word ("walking") cannot be told
  from an identifier and is not reported.

Usage: python -m scripts.action_texts  (lists both)
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTIONS = ROOT / "actions"
# The shared modules that name the parts of the replies built from parts.
REPLY_PARTS = tuple(
    ROOT / "knowledge" / name
    for name in ("referral_summary.py", "referral_answers.py", "ask_back.py")
)
SOURCES = (ACTIONS, *REPLY_PARTS)

RESPONSE_NAME = re.compile(r"^utter_[a-z0-9_]+(/[a-z0-9_]+)?$")
# Literals shaped like a response name that are not one.
NOT_RESPONSES = frozenset(
    {"utter_action"}  # the key under which Rasa names the response selector's answer
)
# A word: letters only (two or more), perhaps with quotes or punctuation around.
_WORD = re.compile(r"[\"'(«]*[^\W\d_]{2,}[.,:;!?\"')»…]*")
_DANISH_LETTER = re.compile(r"[æøåÆØÅ]")
_REGEX = re.compile(r"[|\\\[\]]|\(\?")
_DEVELOPER_CALLS = frozenset(
    {"debug", "info", "warning", "error", "exception", "critical", "compile"}
)


@dataclass(frozen=True)
class Literal:
    """A string literal in the actions' source."""

    path: Path
    line: int
    value: str

    def __str__(self) -> str:
        """``actions/x.py:12: 'text'``."""
        path = self.path
        if path.is_relative_to(ROOT):
            path = path.relative_to(ROOT)
        return f"{path}:{self.line}: {self.value!r}"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(
            node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0].value))
    return found


def _for_developers(tree: ast.AST) -> set[int]:
    """The ids of the nodes inside ``raise`` statements and log or re calls."""
    found: set[int] = set()
    for node in ast.walk(tree):
        developer = isinstance(node, ast.Raise) or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _DEVELOPER_CALLS
        )
        if developer:
            found.update(id(inner) for inner in ast.walk(node))
    return found


def python_files(sources: tuple[Path, ...]) -> list[Path]:
    """The Python files among ``sources`` (files, or folders searched whole)."""
    return sorted(
        path
        for source in sources
        for path in (source.rglob("*.py") if source.is_dir() else [source])
    )


def literals(sources: tuple[Path, ...] = SOURCES) -> Iterator[Literal]:
    """Every string literal in the Python files of ``sources`` but docstrings."""
    for path in python_files(sources):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        skipped = _docstrings(tree)
        developer = _for_developers(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skipped
            ):
                literal = Literal(path, node.lineno, node.value)
                if id(node) in developer:
                    continue
                yield literal


def response_names(sources: tuple[Path, ...] = SOURCES) -> set[str]:
    """The responses the actions and the reply parts name (``utter_...`` literals)."""
    return {
        literal.value
        for literal in literals(sources)
        if RESPONSE_NAME.match(literal.value) and literal.value not in NOT_RESPONSES
    }


def reads_as_text(value: str) -> bool:
    """Whether a literal reads like text for a person, not code or a pattern."""
    if _REGEX.search(value):
        return False
    words = [token for token in value.split() if _WORD.fullmatch(token)]
    glued = bool(words) and value != value.strip()  # " og ", "for ": a fragment
    return len(words) >= 2 or glued or bool(_DANISH_LETTER.search(value))


def prose(sources: tuple[Path, ...] = SOURCES) -> list[Literal]:
    """The literals in the actions and reply parts that read like text for a person."""
    return [literal for literal in literals(sources) if reads_as_text(literal.value)]


if __name__ == "__main__":
    print("Responses the actions name:")
    for name in sorted(response_names()):
        print(f"  {name}")
    print("Text in the actions' code (should be none):")
    for literal in prose():
        print(f"  {literal}")
