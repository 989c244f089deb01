"""Which start the server refuses: a model named that did not load.

The whole behaviour, with a damaged model and the launcher, is
tests/server/test_model_load.py.
"""

import pytest

from assistant.server.model_load import model_problem


@pytest.mark.parametrize(
    ("model_path", "loaded", "stops"),
    [
        ("models/x.tar.gz", False, True),
        ("models/x.tar.gz", True, False),
        (None, False, False),
        ("", False, False),
    ],
)
def test_only_a_named_model_that_did_not_load_stops_it(model_path, loaded, stops):
    assert (model_problem(model_path, loaded) is not None) is stops
