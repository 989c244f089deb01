"""The container tests' reading of /proc: which sockets listen where."""
# ruff: noqa: E501  (lines of /proc/net/tcp, as the kernel writes them)

import os
import socket
from pathlib import Path

from tests.scale.listening import listening_sockets, parse_proc_net_tcp

TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:138B 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 111 1
   1: 00000000:1F45 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1
   2: 0100007F:138B 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1001        0 333 1
"""
TCP6 = """\
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 444 1
   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 555 1
   2: 0000000000000000FFFF00000100007F:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 666 1
"""


def test_ipv4_listening_sockets_are_read_and_connections_skipped():
    found = parse_proc_net_tcp(TCP)
    assert [(s.address, s.port, s.inode) for s in found] == [
        ("127.0.0.1", 5003, 111),
        ("0.0.0.0", 8005, 222),
    ]
    assert [s.address_is_loopback for s in found] == [True, False]


def test_ipv6_any_loopback_and_mapped_loopback():
    found = parse_proc_net_tcp(TCP6)
    assert [(s.address, s.port) for s in found] == [
        ("::", 8080),
        ("::1", 8081),
        ("::ffff:127.0.0.1", 8082),
    ]
    assert [s.address_is_loopback for s in found] == [False, True, True]


def test_a_real_socket_of_this_process_is_found_with_its_address():
    with socket.socket() as loopback, socket.socket() as everywhere:
        loopback.bind(("127.0.0.1", 0))
        loopback.listen()
        everywhere.bind(("0.0.0.0", 0))
        everywhere.listen()
        found = {
            s.port: s.address_is_loopback
            for s in listening_sockets(Path("/proc"), {os.getpid()})
        }
        assert found[loopback.getsockname()[1]] is True
        assert found[everywhere.getsockname()[1]] is False
