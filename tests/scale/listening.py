"""Which TCP sockets a set of processes listens on, read from /proc.

For the container tests: ``docker top`` gives a container's processes as host
PIDs; each process's open sockets are the ``socket:[inode]`` links in
``/proc/<pid>/fd``, and its network namespace's ``/proc/<pid>/net/tcp`` and
``tcp6`` say which of those inodes listen, on which address and port.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from dataclasses import dataclass
from pathlib import Path

LISTEN = "0A"


@dataclass(frozen=True)
class ListeningSocket:
    """One listening TCP socket."""

    address: str
    port: int
    inode: int

    @property
    def address_is_loopback(self) -> bool:
        """True for 127.0.0.0/8 and ::1 (and IPv4 loopback mapped into IPv6)."""
        address = ipaddress.ip_address(self.address)
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            return address.ipv4_mapped.is_loopback
        return address.is_loopback


def _address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, struct.pack("<I", int(hex_address, 16)))
    # IPv6: four 32-bit words, each in the host's (little-endian) order
    words = struct.unpack("<4I", raw)
    return socket.inet_ntop(socket.AF_INET6, struct.pack(">4I", *words))


def parse_proc_net_tcp(text: str) -> list[ListeningSocket]:
    """The listening sockets in the text of /proc/net/tcp or /proc/net/tcp6."""
    found = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 10 or fields[3] != LISTEN:
            continue
        hex_address, hex_port = fields[1].split(":")
        found.append(
            ListeningSocket(_address(hex_address), int(hex_port, 16), int(fields[9]))
        )
    return found


def _socket_inodes(fd_folder: Path) -> set[int]:
    inodes: set[int] = set()
    try:
        links = list(fd_folder.iterdir())
    except (FileNotFoundError, PermissionError):
        return inodes
    for link in links:
        try:
            target = str(link.readlink())
        except (FileNotFoundError, PermissionError, OSError):
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def listening_sockets(proc: Path, pids: set[int]) -> list[ListeningSocket]:
    """Every listening TCP socket held open by one of ``pids``."""
    found: dict[int, ListeningSocket] = {}
    for pid in sorted(pids):
        inodes = _socket_inodes(proc / str(pid) / "fd")
        if not inodes:
            continue
        for table in ("tcp", "tcp6"):
            try:
                text = (proc / str(pid) / "net" / table).read_text()
            except FileNotFoundError:
                continue
            for listening in parse_proc_net_tcp(text):
                if listening.inode in inodes:
                    found[listening.inode] = listening
    return sorted(found.values(), key=lambda s: (s.port, s.address))
