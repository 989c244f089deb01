"""Admission: a few messages at a time, in order; slow outside waits let go."""

import asyncio

import pytest

from assistant.server.admission import (
    Admission,
    AdmissionFull,
    replies_leave_the_process,
    sends_outside,
)

# five messages, one place, two may wait: what each of them comes to
ONE_WORKS_TWO_WAIT_TWO_REFUSED = ["NoneType"] * 3 + ["AdmissionFull"] * 2


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


async def test_a_cancel_while_queueing_to_get_the_place_back_gives_back_nothing():
    # the bug: the place was released twice, letting one message too many in
    admission = Admission(limit=1, patience=0.01)
    outside_done = asyncio.Event()

    async def slow_then_cancelled():
        async with admission.place():
            await admission.outside_wait(asyncio.sleep(0.05))

    async def holder():
        async with admission.place():
            await outside_done.wait()

    first = asyncio.create_task(slow_then_cancelled())
    await asyncio.sleep(0.02)  # first gave its place up while waiting outside
    second = asyncio.create_task(holder())
    await asyncio.sleep(0.06)  # first's outside wait is over: it queues behind second
    assert admission.free_places == 0
    first.cancel()  # cancelled mid-wait for its place
    with pytest.raises(asyncio.CancelledError):
        await first
    outside_done.set()
    await second
    assert admission.free_places == 1
    # and the limit still holds afterwards
    running, most = 0, 0

    async def message():
        nonlocal running, most
        async with admission.place():
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.005)
            running -= 1

    await asyncio.gather(*(message() for _ in range(5)))
    assert most == 1 and admission.free_places == 1


async def test_a_cancel_during_the_outside_wait_cancels_it_and_frees_the_place():
    admission = Admission(limit=1, patience=0.01)
    cancelled = asyncio.Event()
    started = asyncio.Event()

    async def never_answers():
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def message():
        async with admission.place():
            await admission.outside_wait(never_answers())

    for delay in (0.001, 0.05):  # before and after the place is given up
        cancelled.clear()
        started.clear()
        task = asyncio.create_task(message())
        # cancelled before its first step, a coroutine never runs its except
        # (make test once: the cancel came first on a busy machine)
        await started.wait()
        await asyncio.sleep(delay)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert cancelled.is_set()
        assert admission.free_places == 1


async def test_a_stuck_reply_receiver_holds_up_only_its_own_message():
    admission = Admission(limit=1, patience=0.01)
    log: list = []

    class StuckOutput:  # a channel whose send never completes (a stuck receiver)
        async def send_response(self, recipient_id, message):
            await asyncio.sleep(3600)

    channel = StuckOutput()
    sends_outside(channel, admission.outside_wait)

    async def stuck():
        async with admission.place():
            await channel.send_response("a", {"text": "hi"})

    async def other(name):
        async with admission.place():
            log.append(name)

    stuck_task = asyncio.create_task(stuck())
    await asyncio.sleep(0.02)
    await asyncio.wait_for(asyncio.gather(other("b"), other("c")), timeout=1)
    assert log == ["b", "c"]
    stuck_task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stuck_task
    assert admission.free_places == 1


def test_only_channels_that_send_over_the_network_are_wrapped():
    from rasa.core.channels.callback import CallbackOutput
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.utils.endpoints import EndpointConfig

    assert not replies_leave_the_process(CollectingOutputChannel())
    assert not replies_leave_the_process(None)
    callback = CallbackOutput(EndpointConfig("http://127.0.0.1:9/bot"))
    assert replies_leave_the_process(callback)
    sends_outside(callback)
    sends_outside(callback)  # once only
    assert callback.send_response.__outside__
    assert isinstance(callback, CollectingOutputChannel)  # Rasa's checks still hold


def test_the_projects_own_collecting_channels_take_the_fast_way():
    """REST, the widget and WhatsApp collect in memory: no task, no timer."""
    from assistant.channels.messaging.twilio import TwilioCollector
    from assistant.channels.reply_metadata import MetadataCollectingOutputChannel

    for channel in (MetadataCollectingOutputChannel(), TwilioCollector()):
        assert not replies_leave_the_process(channel), type(channel).__name__
        send = channel.send_response
        sends_outside(channel)
        assert channel.send_response == send  # not wrapped


async def test_a_full_queue_refuses_the_next_message_at_once():
    admission = Admission(limit=1, patience=1.0, max_waiting=2)
    log: list = []
    outcomes = await asyncio.gather(
        *(_message(admission, log, i, work=0.05) for i in range(5)),
        return_exceptions=True,
    )
    # one works, two wait, the fourth and fifth are refused before starting
    assert [type(o).__name__ for o in outcomes] == ONE_WORKS_TWO_WAIT_TWO_REFUSED
    assert [name for event, name in log if event == "start"] == [0, 1, 2]
    assert admission.free_places == 1 and admission.waiting == 0
    await _message(admission, log, "after")  # and it takes messages again
    assert log[-1] == ("end", "after")


async def test_a_flood_fills_the_queue_though_the_work_never_yields():
    """Rasa's work on a plain message runs to its end without a single await
    that suspends (synchronous tracker and lock stores): messages that arrive
    together are still counted in line, and the surplus refused."""
    import time

    admission = Admission(limit=1, patience=1.0, max_waiting=2)
    worked: list[int] = []

    async def message(name: int) -> None:
        async with admission.place():
            time.sleep(0.005)  # work that holds the event loop
            worked.append(name)

    outcomes = await asyncio.gather(
        *(message(i) for i in range(5)), return_exceptions=True
    )
    assert [type(o).__name__ for o in outcomes] == ONE_WORKS_TWO_WAIT_TWO_REFUSED
    assert worked == [0, 1, 2]
    assert admission.free_places == 1 and admission.waiting == 0


async def test_a_free_place_is_taken_whatever_the_bound():
    admission = Admission(limit=2, patience=1.0, max_waiting=0)
    log: list = []
    await asyncio.gather(*(_message(admission, log, i) for i in range(2)))
    assert len(log) == 4
    with pytest.raises(AdmissionFull):
        await asyncio.gather(*(_message(admission, log, i) for i in range(3)))


async def test_a_message_back_from_a_slow_outside_wait_is_never_refused():
    admission = Admission(limit=1, patience=0.01, max_waiting=0)
    log: list = []
    slow = asyncio.ensure_future(_message(admission, log, "slow", outside=0.1))
    await asyncio.sleep(0.03)  # it gave its place up
    await _message(admission, log, "quick", work=0.2)  # holds it as slow returns
    await slow
    assert ("end", "slow") in log


async def test_a_full_queue_answers_busy_and_raises_where_rest_asks_it_to():
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from assistant.server.admission import BUSY_TEXT, admitting, raise_when_full

    class Sent(CollectingOutputChannel):  # a channel whose replies leave
        pass

    admission = Admission(limit=1, patience=1.0, max_waiting=0)
    handled: list[str] = []

    async def handle(processor, message):
        handled.append(message.text)
        await asyncio.sleep(0.05)

    admitted = admitting(handle, admission)
    socket = UserMessage("second", Sent(), sender_id="b")
    rest = UserMessage("third", CollectingOutputChannel(), sender_id="c")
    first = asyncio.ensure_future(admitted(None, UserMessage("first", Sent())))
    await asyncio.sleep(0.01)  # the first holds the only place
    assert await admitted(None, socket) is None
    assert [m["text"] for m in socket.output_channel.messages] == [BUSY_TEXT]

    async def as_rest():
        raise_when_full()
        return await admitted(None, rest)

    with pytest.raises(AdmissionFull):
        await asyncio.ensure_future(as_rest())
    await first
    assert handled == ["first"]
