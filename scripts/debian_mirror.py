"""The Debian mirror this machine's apt uses, for building the base image.

The container base image is built with debootstrap from the same mirror apt
is configured with (no host is written into the project): the first ``deb``
source of the main archive for the release, in one-line ``sources.list``
format or deb822 ``.sources`` files. Security and updates archives are not
the main archive.

Usage: python scripts/debian_mirror.py [release]   (prints the URL)
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

APT_SOURCES = [Path("/etc/apt/sources.list"), Path("/etc/apt/sources.list.d")]


def _one_line_entries(text: str) -> Iterable[tuple[str, str, str]]:
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) < 3 or words[0] != "deb":
            continue
        if words[1].startswith("["):  # options: deb [arch=amd64 signed-by=...] URI
            while words and not words[1].endswith("]"):
                words.pop(1)
            words.pop(1)
        if len(words) >= 3:
            yield words[0], words[1], words[2]


def _deb822_entries(text: str) -> Iterable[tuple[str, str, str]]:
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line.startswith(" "):
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.strip()
        if fields.get("enabled", "yes").lower() == "no":
            continue
        for kind in fields.get("types", "").split():
            for uri in fields.get("uris", "").split():
                for suite in fields.get("suites", "").split():
                    yield kind, uri, suite


def debian_mirror(sources: dict[str, str], release: str) -> str | None:
    """The main archive's URL for ``release``, from apt source files' texts."""
    for name, text in sources.items():
        entries = (
            _deb822_entries(text)
            if name.endswith(".sources")
            else (_one_line_entries(text))
        )
        for kind, uri, suite in entries:
            if kind == "deb" and suite == release and "security" not in uri:
                return uri.rstrip("/")
    return None


def read_sources(paths: list[Path] = APT_SOURCES) -> dict[str, str]:
    """The texts of apt's source files, in apt's order."""
    texts: dict[str, str] = {}
    for path in paths:
        files = sorted(path.glob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix in (".list", ".sources"):
                texts[str(file)] = file.read_text(errors="replace")
    return texts


def main() -> int:
    """Print the mirror URL, or explain why there is none."""
    release = sys.argv[1] if len(sys.argv) > 1 else "bookworm"
    mirror = debian_mirror(read_sources(), release)
    if mirror is None:
        print(f"No Debian mirror for {release} in apt's sources.", file=sys.stderr)
        return 1
    print(mirror)
    return 0


if __name__ == "__main__":
    sys.exit(main())
