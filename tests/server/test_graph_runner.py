"""The model graph run node after node gives what dask's scheduler gives.

``assistant/server/graph_runner.py`` replaces ``DaskGraphRunner.run``. Here
the trained model talks one whole conversation (greeting, FAQ answers in
both languages, an uncertain topic, the referral check against the real
action server, urgent advice, goodbye) once with Rasa's runner and once with
the project's, in a process of its own (loading a model installs the
project's patches), and every event of the two conversations is compared:
what was understood, every slot, every action, every reply.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

from harness.servers import BIN, ROOT

MESSAGES = [
    "hej",
    "Kommer bækkenløsning igen ved næste graviditet?",
    "Will the pain go away after birth?",
    "ondt",
    "Hvem skal jeg kontakte?",
    "gravid",
    "/deny",
    "5",
    "trapper",
    "/deny",
    "jeg har ondt i brystet",
    "farvel",
]

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, os, sys
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.utils.endpoints import EndpointConfig
    from assistant.server import graph_runner, rasa_patches

    rasa_patches.install_at_start(os.environ)  # as the launcher does
    messages, action_url = json.loads(sys.argv[1]), sys.argv[2]

    async def talk(run, sender):
        agent = Agent.load(
            "models/current.tar.gz", action_endpoint=EndpointConfig(action_url)
        )
        DaskGraphRunner.run = run
        for text in messages:
            await agent.handle_text(text, sender_id=sender)
        tracker = await agent.tracker_store.retrieve(sender)
        events = []
        for event in tracker.events:
            fields = event.as_dict()
            for volatile in ("timestamp", "metadata", "message_id", "input_channel"):
                fields.pop(volatile, None)
            fields.get("parse_data", {}).pop("message_id", None)
            events.append(fields)
        return events

    async def main():
        rasas = await talk(graph_runner.rasa_run, "rasa")
        ours = await talk(graph_runner.run, "ours")
        print(json.dumps({"rasa": rasas, "ours": ours}))

    asyncio.run(main())
    """
)


def test_the_project_runner_gives_every_event_rasas_runner_gives(action_server):
    finished = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            SCRIPT,
            json.dumps(MESSAGES),
            f"{action_server.url}/webhook",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "ACTION_SERVER_SECRET": action_server.secret,
        },
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    conversations = json.loads(finished.stdout.strip().splitlines()[-1])
    rasas, ours = conversations["rasa"], conversations["ours"]
    assert ours == rasas
    replies = [event["text"] for event in rasas if event["event"] == "bot"]
    assert len(replies) >= len(MESSAGES)
    assert any("112" in (reply or "") for reply in replies)  # the urgent advice
    assert any(event.get("name") == "referral_form" for event in rasas)
