"""The lock's Redis client reads and writes RESP as redis-py does.

Commands are compared byte for byte with redis-py's own encoder; replies are
parsed from what Redis sends, whole, split at every byte (a reply arrives in
pieces), and back to back (a connection's replies come one after another).
"""

from __future__ import annotations

import pytest
from redis import exceptions
from redis.connection import Connection

from assistant.stores.redis_client import Incomplete, encode_command, parse_reply


@pytest.mark.parametrize(
    "arguments",
    [
        ["PING"],
        ["EVALSHA", "a" * 40, 1, "rasa_lock:anna", "anna", "1765043000.25", 60.0],
        ["SET", b"key", b"\x00\xff binary\r\n", "PX", 1500],
        ["AUTH", "bruger", "hemmeligt-æøå"],
        ["SELECT", 0],
        ["ECHO", ""],
    ],
)
def test_a_command_is_written_as_redis_py_writes_it(arguments):
    assert encode_command(arguments) == b"".join(Connection().pack_command(*arguments))


@pytest.mark.parametrize("argument", [True, None, ["a"], {"a": 1}])
def test_an_argument_redis_cannot_take_is_refused(argument):
    with pytest.raises(TypeError, match="bytes, str, int or float"):
        encode_command(["SET", "key", argument])


REPLIES: list[tuple[bytes, object]] = [
    (b"+OK\r\n", b"OK"),
    (b":0\r\n", 0),
    (b":-17\r\n", -17),
    (b"$5\r\nhello\r\n", b"hello"),
    (b"$0\r\n\r\n", b""),
    (b"$4\r\na\r\nb\r\n", b"a\r\nb"),  # a bulk string may hold CRLF
    (b"$-1\r\n", None),
    (b"*0\r\n", []),
    (b"*-1\r\n", None),
    (b'*2\r\n:3\r\n$8\r\n{"a": 1}\r\n', [3, b'{"a": 1}']),  # the issue script's
    (b"*1\r\n:0\r\n", [0]),  # a Lua table ending in nil
    (b"*2\r\n*2\r\n:1\r\n$-1\r\n+x\r\n", [[1, None], b"x"]),
]


@pytest.mark.parametrize(("data", "reply"), REPLIES)
def test_a_reply_is_read_whole(data, reply):
    assert parse_reply(data) == (reply, len(data))


@pytest.mark.parametrize(("data", "reply"), REPLIES)
def test_a_reply_in_pieces_is_read_only_once_it_is_all_there(data, reply):
    for cut in range(len(data)):
        with pytest.raises(Incomplete):
            parse_reply(bytearray(data[:cut]))
    assert parse_reply(bytearray(data)) == (reply, len(data))


def test_replies_back_to_back_are_read_one_after_another():
    data = b"".join(raw for raw, _ in REPLIES)
    start, found = 0, []
    while start < len(data):
        reply, start = parse_reply(data, start)
        found.append(reply)
    assert found == [reply for _, reply in REPLIES]


def test_an_error_reply_is_returned_as_redis_pys_error_not_raised():
    error = b"-NOSCRIPT No matching script.\r\n"
    reply, end = parse_reply(error + b":1\r\n")
    assert isinstance(reply, exceptions.ResponseError)
    assert str(reply) == "NOSCRIPT No matching script."
    assert end == len(error)
    assert parse_reply(error + b":1\r\n", end) == (1, len(error) + 4)


@pytest.mark.parametrize("data", [b"?what\r\n", b"$3\r\nabcde\r\n", b"!\r\n"])
def test_what_is_not_resp_is_an_invalid_response(data):
    with pytest.raises(exceptions.InvalidResponse):
        parse_reply(data)
