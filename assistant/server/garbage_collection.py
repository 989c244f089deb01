"""The garbage collector set for a server whose model is loaded for good.

Python's cyclic garbage collector runs its young generation every 700 new
container objects and, now and then, a full collection that walks every
object of the process: for the Rasa server with its model, Rasa, spaCy and
TensorFlow loaded, about 550,000 objects and 0.43 s a full collection,
during which no message is answered. Under ten conversations the collector
took 4.4 % of the server's CPU (``gc.callbacks`` timing, 28 s of the bench
conversation): 2.6 % young collections, the rest one full collection.

Once the model is loaded (``assistant/server/model_load.py``) the objects
of that moment stay for the server's life, so ``settle`` collects once and
freezes them (``gc.freeze``: a full collection no longer walks them) and
runs the young generation every ``YOUNG_THRESHOLD`` objects instead of 700.
A message's objects are freed by reference counting either way; the
collector only finds cycles, and a larger young generation holds a message's
few cyclic leftovers a little longer.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)

# new container objects between collections of the young generation
# (Python's default 700; 3.12's 2,000); the older generations as Python has them
YOUNG_THRESHOLD = 20_000


def settle() -> None:
    """Collect once, freeze what is alive, and collect the young less often."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    logger.info(
        "Garbage collector: %s objects of the loaded server frozen; the young "
        "generation collected every %s new objects.",
        f"{gc.get_freeze_count():,}",
        f"{YOUNG_THRESHOLD:,}",
    )
