"""`make shell`'s client run against a test server, with what she types."""

from __future__ import annotations

import subprocess

from harness.servers import BIN, ROOT


def shell_output(url: str, sender: str, typed: str) -> str:
    """What the terminal client printed after reading ``typed`` line by line."""
    result = subprocess.run(
        [str(BIN / "python"), "-m", "scripts.shell"]
        + ["--server", url, "--sender", sender],
        cwd=ROOT,
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout
