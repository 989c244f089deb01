"""The collector settled once the model is loaded: its objects frozen."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import rasa.core.agent

from assistant.server import garbage_collection, model_load


@pytest.fixture
def collector_restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settle_freezes_what_is_alive_and_collects_the_young_less_often(
    collector_restored: None,
) -> None:
    alive = [object() for _ in range(10)], {"a": [1, 2]}
    gc.unfreeze()
    garbage_collection.settle()
    assert gc.get_freeze_count() > 1000
    assert gc.get_threshold()[0] == garbage_collection.YOUNG_THRESHOLD
    assert gc.get_threshold()[1:] == (10, 10)  # the older ones as Python has them
    assert alive  # kept alive across the collection


class _Agent:
    def __init__(self, ready: bool) -> None:
        self.ready = ready

    def is_ready(self) -> bool:
        return self.ready


@pytest.mark.parametrize("ready", [True, False])
async def test_the_server_settles_only_after_its_model_is_loaded(
    monkeypatch: pytest.MonkeyPatch, collector_restored: None, ready: bool
) -> None:
    settled: list[bool] = []

    async def load_agent(**_kwargs: Any) -> _Agent:
        return _Agent(ready)

    monkeypatch.setattr(rasa.core.agent, "load_agent", load_agent)
    monkeypatch.setattr(garbage_collection, "settle", lambda: settled.append(True))
    app = SimpleNamespace(ctx=SimpleNamespace())
    loop = asyncio.get_running_loop()
    if ready:
        await model_load.load_agent_or_stop("models/x.tar.gz", None, None, app, loop)
        assert settled == [True]
    else:
        with pytest.raises(model_load.ModelNotLoaded):
            await model_load.load_agent_or_stop(
                "models/x.tar.gz", None, None, app, loop
            )
        assert settled == []
