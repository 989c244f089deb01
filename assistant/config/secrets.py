"""The server's secrets: the widget's signing key and the operators' token.

Each comes from its environment variable or, when that is unset, from a file
made with 256 random bits on first start and readable only by its owner
(``var/widget-secret``, ``var/operator-token``), so ``make run`` works as it
is and tokens stay valid across restarts. Several servers behind one address
need the same values. The widget's tokens are made and checked in
``assistant/channels/widget_auth.py``; the log references and the operator
commands (``assistant/stores/``) read the same files.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_ENVIRONMENT_VARIABLE = "WIDGET_SECRET"
SECRET_FILE_ENVIRONMENT_VARIABLE = "WIDGET_SECRET_FILE"
DEFAULT_SECRET_FILE = "var/widget-secret"
MIN_SECRET_CHARACTERS = 32
OPERATOR_TOKEN_VARIABLE = "OPERATOR_TOKEN"
OPERATOR_TOKEN_FILE_VARIABLE = "OPERATOR_TOKEN_FILE"
DEFAULT_OPERATOR_TOKEN_FILE = "var/operator-token"


def load_secret() -> str:
    """The server's secret: the environment's, else the file's (made if absent)."""
    return _configured_or_from_file(
        SECRET_ENVIRONMENT_VARIABLE,
        SECRET_FILE_ENVIRONMENT_VARIABLE,
        DEFAULT_SECRET_FILE,
    )


def _configured_or_from_file(
    variable: str, file_variable: str, default_file: str
) -> str:
    """``variable``'s value (long enough), else the secret in its file."""
    configured = os.environ.get(variable, "").strip()
    if configured:
        if len(configured) < MIN_SECRET_CHARACTERS:
            raise ValueError(
                f"{variable} must be at least "
                f"{MIN_SECRET_CHARACTERS} characters (e.g. `openssl rand -hex 32`)."
            )
        return configured
    return secret_from_file(Path(os.environ.get(file_variable) or default_file))


def secret_from_file(path: Path) -> str:
    """The secret kept in ``path``; a new random one written there if none is.

    Several servers starting at once on one folder (a cluster, its tests) may
    all find no file: the new secret is written whole to a file of this
    process's own, then linked to ``path``, which fails if another process
    linked its own first. ``path`` so never exists without its secret (made
    and then written, another server could read it empty and stop), and every
    server ends up with the one that was linked first.
    """
    existing = _read_secret(path)
    if len(existing) >= MIN_SECRET_CHARACTERS:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    new = secrets.token_hex(32)
    own = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(own, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(new + "\n")
        os.link(own, path)  # the whole secret appears at once, or not at all
    except FileExistsError:  # another process linked its own first (or a short one)
        existing = _read_secret(path)
        if len(existing) >= MIN_SECRET_CHARACTERS:
            return existing
        raise ValueError(
            f"{path} holds no usable secret; delete it to make one."
        ) from None
    finally:
        own.unlink(missing_ok=True)
    return new


def _read_secret(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def load_operator_token() -> str:
    """The operators' credential: ``OPERATOR_TOKEN``, else its file (made if absent).

    Its own secret, never the widget's signing key (that one never leaves the
    server): ``make forget`` and ``make purge`` read the same file
    (``OPERATOR_TOKEN_FILE``, default ``var/operator-token``, mode 0600), so on
    one machine nothing needs setting.
    """
    return _configured_or_from_file(
        OPERATOR_TOKEN_VARIABLE,
        OPERATOR_TOKEN_FILE_VARIABLE,
        DEFAULT_OPERATOR_TOKEN_FILE,
    )
