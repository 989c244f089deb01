"""A model that cannot be loaded stops the server, with a message that says so.

Rasa's ``load_agent`` catches any error while loading the model, logs
"Could not load model due to …" and returns an agent without one; the server
then logs "Rasa server is up and running", answers the health check, and
drops every message it is sent (HTTP 200 with ``[]`` on REST, nothing in the
widget). A damaged model (the classifier refuses its files with "Retrain it",
``assistant/nlu/linear_classifier.py``) or a model of another Rasa version
would give a bot that is silent, not one that is down.

``load_agent_or_stop`` replaces ``rasa.core.run.load_agent_on_start``, which
``rasa run`` and ``rasa shell`` register to run before the server starts
(``assistant/server/rasa_patches.py``): the same steps (Rasa's
``load_agent``, then "up and running"), and when a model was named but none
is loaded, ``ModelNotLoaded`` instead of "up and running", with the model's
path and what to do; raised there, it stops the start with that message and a
non-zero exit code. Starting without any model (``rasa run`` with no model and a model
server, or the HTTP API to load one later) is left as Rasa has it.
"""

from __future__ import annotations

import logging
from asyncio import AbstractEventLoop
from typing import Any

import rasa.core.agent
import rasa.core.run
from rasa.core.agent import Agent
from rasa.shared.exceptions import RasaException

from assistant.server import garbage_collection

logger = logging.getLogger(__name__)

rasa_load_agent_on_start = rasa.core.run.load_agent_on_start  # what it replaces


class ModelNotLoaded(RasaException):
    """The model the server was started with could not be loaded."""


def model_problem(model_path: str | None, loaded: bool) -> str | None:
    """Why the server must not start, or None: a named model that did not load."""
    if loaded or not model_path:
        return None
    return (
        f"The model {model_path} could not be loaded (the error is above), so "
        "the server stops instead of answering nothing. Retrain it "
        "(`make train`) or start the server with a model that loads."
    )


async def load_agent_or_stop(
    model_path: str | None,
    endpoints: Any,
    remote_storage: str | None,
    app: Any,
    loop: AbstractEventLoop,
) -> Agent:
    """Rasa's ``load_agent_on_start``; ``ModelNotLoaded`` if the model did not load.

    Rasa's steps, with the check between loading and "up and running" (which
    Rasa's own logs whether or not there is a model).
    """
    app.ctx.agent = await rasa.core.agent.load_agent(
        model_path=model_path,
        remote_storage=remote_storage,
        endpoints=endpoints,
        loop=loop,
    )
    problem = model_problem(
        None if remote_storage else model_path, app.ctx.agent.is_ready()
    )
    if problem is not None:
        logger.error(problem)
        raise ModelNotLoaded(problem)
    garbage_collection.settle()  # the model's objects stay: frozen
    rasa.core.run.logger.info("Rasa server is up and running.")
    return app.ctx.agent
