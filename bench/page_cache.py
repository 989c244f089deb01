"""Start every measured server from the same page-cache state.

Resident memory counts the pages of shared libraries a process has mapped,
and how many get mapped depends on what the kernel has cached: right after
`pip install` wrote TensorFlow's 600 MB library, every page fault maps its
cached neighbours too. Measured on a fresh clone: the same Rasa server, with
the same 647 MB of its own (anonymous) memory, showed 1092 MB resident with
the freshly written libraries cached and 915 MB without.

So before each server starts, ``evict`` asks the kernel to drop the
virtualenv's shared libraries from the page cache (``posix_fadvise``
DONTNEED: no privileges needed, and pages a running process has mapped stay).
Every run then measures a server started as after a reboot, whether or not
the libraries were just installed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_SHARED_LIBRARY = re.compile(r"\.so(\.\d+)*$")


def shared_libraries(root: Path) -> list[Path]:
    """The shared-library files (``*.so``, ``*.so.N``) below ``root``."""
    return sorted(
        path
        for path in root.rglob("*.so*")
        if path.is_file() and _SHARED_LIBRARY.search(path.name)
    )


def evict(root: Path) -> int:
    """Drop the page cache of every shared library below ``root``; how many."""
    evicted = 0
    for path in shared_libraries(root):
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            evicted += 1
        except OSError:
            pass
        finally:
            os.close(descriptor)
    return evicted
