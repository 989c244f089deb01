"""Admission: a few messages at a time, in order; slow outside waits let go."""

import asyncio

import pytest

from assistant.admission import (
    DEFAULT_LIMIT,
    LIMIT_ENVIRONMENT_VARIABLE,
    Admission,
    configured_limit,
)


async def _message(admission, log, name, work=0.01, outside=None):
    async with admission.place():
        log.append(("start", name))
        if outside is not None:
            await admission.outside_wait(asyncio.sleep(outside))
        await asyncio.sleep(work)
        log.append(("end", name))


async def test_no_more_than_the_limit_are_worked_on_at_once():
    admission = Admission(limit=2, patience=1.0)
    running, most = 0, 0

    async def message():
        nonlocal running, most
        async with admission.place():
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(message() for _ in range(8)))
    assert most == 2
    assert admission.free_places == 2


async def test_messages_start_in_the_order_they_arrive():
    admission = Admission(limit=1, patience=1.0)
    log: list = []
    await asyncio.gather(*(_message(admission, log, i) for i in range(5)))
    assert [name for event, name in log if event == "start"] == [0, 1, 2, 3, 4]


async def test_a_quick_outside_wait_keeps_the_place():
    admission = Admission(limit=1, patience=1.0)
    log: list = []
    await asyncio.gather(
        _message(admission, log, "a", outside=0.01), _message(admission, log, "b")
    )
    assert log == [("start", "a"), ("end", "a"), ("start", "b"), ("end", "b")]


async def test_a_slow_outside_wait_lets_the_next_message_go_first():
    admission = Admission(limit=1, patience=0.01)
    log: list = []
    await asyncio.gather(
        _message(admission, log, "slow", outside=0.2), _message(admission, log, "b")
    )
    assert log == [("start", "slow"), ("start", "b"), ("end", "b"), ("end", "slow")]
    assert admission.free_places == 1


async def test_an_error_gives_the_place_back():
    admission = Admission(limit=1, patience=0.01)

    async def failing():
        async with admission.place():
            await admission.outside_wait(asyncio.sleep(0.05))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await failing()
    assert admission.free_places == 1


async def test_outside_wait_without_a_place_just_waits():
    admission = Admission(limit=1, patience=0.01)
    assert await admission.outside_wait(asyncio.sleep(0.02, result=7)) == 7
    assert admission.free_places == 1


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError):
        Admission(limit=0, patience=0.1)


def test_limit_comes_from_the_environment_then_the_config(monkeypatch):
    monkeypatch.delenv(LIMIT_ENVIRONMENT_VARIABLE, raising=False)
    assert configured_limit({}) == DEFAULT_LIMIT
    assert configured_limit({"max_concurrent_messages": 4}) == 4
    monkeypatch.setenv(LIMIT_ENVIRONMENT_VARIABLE, "0")
    assert configured_limit({"max_concurrent_messages": 4}) == 0
    monkeypatch.setenv(LIMIT_ENVIRONMENT_VARIABLE, "many")
    assert configured_limit({}) == DEFAULT_LIMIT
