"""Rasa's training cache, told about the code a component runs.

Rasa reuses a graph node's cached output when the node's fingerprint is
unchanged, and that fingerprint includes the source of the component's class
only: not the module's other functions, nor the modules it imports. An edit
to ``assistant/nlu/linear_model.py`` or ``assistant/text/negation.py`` would
then train a model with stale results restored from the cache (``make``
used to empty the cache on any edit; a direct ``rasa train`` did not).

``CodeFingerprint`` gives a component a ``fingerprint_addon`` (Rasa's hook
for exactly this) with the source of its own module and of every module of
this project it imports (``assistant`` and ``knowledge``), directly or not.
A cache miss on a node makes every node after it miss too (Rasa gives a
missed output a random fingerprint), so this is enough for everything
downstream.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from pathlib import Path
from typing import Any

# the project's code a component may run: its own, and the shared knowledge
PROJECT_PACKAGES = ("assistant", "knowledge")


def module_file(module: str) -> Path | None:
    """The source file of ``module``, or None if there is none."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def imported_modules(
    source: str, packages: tuple[str, ...] = PROJECT_PACKAGES
) -> set[str]:
    """Modules of ``packages`` that ``source`` imports (``from p import m`` too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {
        name
        for name in names
        if any(name == root or name.startswith(root + ".") for root in packages)
        and module_file(name) is not None
    }


def project_modules(
    module: str, packages: tuple[str, ...] = PROJECT_PACKAGES
) -> dict[str, bytes]:
    """``module`` and every module of ``packages`` it imports, with their source."""
    sources: dict[str, bytes] = {}
    pending = [module]
    while pending:
        name = pending.pop()
        path = module_file(name)
        if name in sources or path is None:
            continue
        sources[name] = path.read_bytes()
        pending.extend(imported_modules(sources[name].decode("utf-8"), packages))
    return sources


def code_fingerprint(module: str, packages: tuple[str, ...] = PROJECT_PACKAGES) -> str:
    """A hash of the source of ``module`` and the project modules it imports."""
    digest = hashlib.sha256()
    for name, source in sorted(project_modules(module, packages).items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(source).digest())
    return digest.hexdigest()


class CodeFingerprint:
    """Mixin for graph components: Rasa's cache sees all the code they run.

    Put it first among the bases, so its ``fingerprint_addon`` is the one used.
    """

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The hash of the component's module and the project modules it imports."""
        return code_fingerprint(cls.__module__)
