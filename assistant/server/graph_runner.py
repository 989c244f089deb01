"""Rasa's model graph run in order, without dask's scheduler around each node.

Rasa runs its model as a graph of components (the NLU pipeline, each policy,
the ensemble) through dask's synchronous scheduler, three times per message
(the message's parse and one prediction per action). Every component here
takes microseconds, and dask's bookkeeping around each (a task graph built
per run, its ready queue, state dicts and callbacks) cost more than some of
them; the graph is a handful of nodes that depend on each other in a chain.

``run`` computes the same results as ``DaskGraphRunner.run``: each target's
needs first, each node once, an input given as ``(name, value)`` exactly as
Rasa hands it to dask, a name neither a node nor an input passed on as it is
(as dask does with a literal), a ``RuntimeError`` raised as Rasa's
``GraphRunError``. The smallest sub-graph for the targets is worked out once
per set of targets. Installed by ``assistant/server/rasa_patches.py``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

rasa_run = DaskGraphRunner.run

_SUBGRAPHS_ATTRIBUTE = "_assistant_subgraphs"


def _subgraph(runner: DaskGraphRunner, targets: tuple[str, ...]) -> GraphSchema:
    """The smallest schema that computes ``targets``, remembered per runner."""
    known: dict[tuple[str, ...], GraphSchema] = runner.__dict__.setdefault(
        _SUBGRAPHS_ATTRIBUTE, {}
    )
    if targets not in known:
        known[targets] = runner._graph_schema.minimal_graph_schema(list(targets))
    return known[targets]


def run(
    self: DaskGraphRunner,
    inputs: dict[str, Any] | None = None,
    targets: list[str] | None = None,
) -> dict[str, Any]:
    """``DaskGraphRunner.run``: the targets' outputs by node name."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    schema = _subgraph(self, run_targets)
    results: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in schema.nodes:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema."
            )
        results[name] = (name, value)

    def compute(name: str) -> Any:
        if name in results:
            return results[name]
        node = schema.nodes.get(name)
        if node is None:
            return name  # dask passes an unknown key on as a literal
        arguments = [compute(need) for need in node.needs.values()]
        results[name] = self._instantiated_nodes[name](*arguments)
        return results[name]

    try:
        return dict(compute(target) for target in run_targets)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
