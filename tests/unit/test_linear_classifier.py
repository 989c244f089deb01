"""The linear classifier: its rankings, its output shape, its probabilities."""

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.intents import set_topic_ranking
from assistant.nlu.linear_classifier import LinearIntentClassifier, split_prediction
from assistant.nlu.linear_model import LinearModel
from tests.pickles import is_pickle


def test_plain_intents_keep_their_probabilities_best_first():
    intents, topics = split_prediction(["greet", "thank"], [0.25, 0.75])
    assert intents == [
        {"name": "thank", "confidence": 0.75},
        {"name": "greet", "confidence": 0.25},
    ]
    assert topics == []


def test_faq_gets_the_sum_of_its_topics():
    intents, _ = split_prediction(
        ["faq/causes", "faq/recurrence", "greet"], [0.3, 0.3, 0.4]
    )
    assert intents[0] == {"name": "faq", "confidence": pytest.approx(0.6)}
    assert intents[1] == {"name": "greet", "confidence": 0.4}


def test_topics_are_ranked_by_their_probability_given_faq():
    _, topics = split_prediction(
        ["faq/causes", "faq/recurrence", "greet"], [0.1, 0.4, 0.5]
    )
    assert topics == [
        {"intent_response_key": "faq/recurrence", "confidence": pytest.approx(0.8)},
        {"intent_response_key": "faq/causes", "confidence": pytest.approx(0.2)},
    ]


def test_ties_are_broken_by_name_so_the_output_is_stable():
    intents, topics = split_prediction(
        ["thank", "greet", "faq/b", "faq/a"], [0.25, 0.25, 0.25, 0.25]
    )
    assert [i["name"] for i in intents] == ["faq", "greet", "thank"]
    assert [t["intent_response_key"] for t in topics] == ["faq/a", "faq/b"]


def test_rankings_are_cut_to_the_ranking_length():
    labels = [f"faq/t{i}" for i in range(5)] + [f"intent{i}" for i in range(5)]
    intents, topics = split_prediction(labels, [0.1] * 10, ranking_length=3)
    assert len(intents) == 3 and len(topics) == 3


def test_topics_with_no_probability_at_all_get_zero_not_a_division_error():
    _, topics = split_prediction(["faq/a", "greet"], [0.0, 1.0])
    assert topics == [{"intent_response_key": "faq/a", "confidence": 0.0}]


def test_another_retrieval_intent_is_a_plain_intent():
    intents, topics = split_prediction(["chitchat/hi", "faq/a"], [0.7, 0.3])
    assert intents[0]["name"] == "chitchat/hi"
    assert [t["intent_response_key"] for t in topics] == ["faq/a"]


def test_the_selected_topic_names_the_response_to_utter():
    message = Message(data={"text": "kommer det igen?"})
    set_topic_ranking(
        message, [{"intent_response_key": "faq/recurrence", "confidence": 0.9}]
    )
    selector = message.get("response_selector")
    assert selector["all_retrieval_intents"] == ["faq"]
    output = selector["faq"]
    assert output["response"] == {
        "responses": [],
        "confidence": 0.9,
        "intent_response_key": "faq/recurrence",
        "utter_action": "utter_faq/recurrence",
    }
    assert output["ranking"][0]["intent_response_key"] == "faq/recurrence"


def test_the_model_gives_the_same_probabilities_as_scikit_learn():
    texts = ["hej", "hej hej", "tak", "mange tak", "gør det ondt", "er det farligt"]
    labels = ["greet", "greet", "thank", "thank", "faq/pain", "faq/danger"]
    model = LinearModel(LinearIntentClassifier.get_default_config())
    model.fit(texts, texts, labels)
    queries = ["hej med dig", "tak for hjælpen", "farligt?", ""]
    ours = model.probabilities(queries, queries)
    features = model.features(queries, queries)
    assert np.allclose(ours, model.classifier.predict_proba(features))
    assert np.allclose(ours.sum(axis=1), 1.0)
    assert model.labels[int(ours[0].argmax())] == "greet"


def _small_model() -> LinearModel:
    texts = ["hej", "hej hej", "tak", "mange tak", "gør det ondt", "er det farligt"]
    labels = ["greet", "greet", "thank", "thank", "faq/pain", "faq/danger"]
    model = LinearModel(LinearIntentClassifier.get_default_config())
    model.fit(texts, texts, labels)
    return model


def test_a_saved_and_loaded_model_gives_the_same_probabilities(tmp_path):
    model = _small_model()
    model.save(tmp_path)
    loaded = LinearModel.load(tmp_path)
    queries = ["hej tak", "ondt", "æøå", ""]
    assert loaded.labels == model.labels
    assert np.array_equal(
        loaded.probabilities(queries, queries), model.probabilities(queries, queries)
    )
    # scikit-learn's own path agrees too, so evaluation code can use it
    assert np.allclose(
        loaded.classifier.predict_proba(loaded.features(queries, queries)),
        model.probabilities(queries, queries),
    )


def test_a_saved_model_is_json_and_plain_arrays_never_a_pickle(tmp_path):
    _small_model().save(tmp_path)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [
        "character_idf.npy",
        "coefficients.npy",
        "intercepts.npy",
        "linear_model.json",
        "word_idf.npy",
    ]
    for path in tmp_path.iterdir():
        assert not is_pickle(path.read_bytes()), path.name


def test_an_array_of_python_objects_is_refused_not_unpickled(tmp_path):
    _small_model().save(tmp_path)
    np.save(tmp_path / "intercepts.npy", np.array([object()]), allow_pickle=True)
    with pytest.raises(ValueError):
        LinearModel.load(tmp_path)


def test_pickle_detection():
    import pickle

    assert is_pickle(pickle.dumps({"a": 1}, protocol=2))
    assert is_pickle(pickle.dumps([1], protocol=5))
    assert not is_pickle(b'{"format": 1}')
    assert not is_pickle(b"\x93NUMPY\x01\x00")


def _storage(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    return LocalModelStorage(tmp_path), Resource("linear_classifier")


def _load(storage, resource):
    config = LinearIntentClassifier.get_default_config()
    return LinearIntentClassifier.load(config, storage, resource, None)


def test_a_model_saved_in_rasas_storage_loads_and_predicts(tmp_path):
    storage, resource = _storage(tmp_path)
    with storage.write_to(resource) as directory:
        _small_model().save(directory)
    message = Message(data={"text": "mange tak"})
    _load(storage, resource).process([message])
    assert message.get("intent")["name"] == "thank"


def test_a_model_that_saved_nothing_loads_untrained(tmp_path):
    storage, resource = _storage(tmp_path)
    assert _load(storage, resource)._model is None  # no directory at all
    with storage.write_to(resource):
        pass
    assert _load(storage, resource)._model is None  # an empty one


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "linear_model.json").write_text("{not json", "utf-8"),
        lambda d: (d / "linear_model.json").write_text('{"format": 1}', "utf-8"),
        lambda d: (d / "coefficients.npy").unlink(),
        lambda d: np.save(
            d / "intercepts.npy", np.array([object()]), allow_pickle=True
        ),
    ],
    ids=["not JSON", "fields missing", "a file missing", "a pickled array"],
)
def test_a_damaged_model_stops_loading_with_a_message_to_retrain(tmp_path, damage):
    from rasa.shared.exceptions import RasaException

    storage, resource = _storage(tmp_path)
    with storage.write_to(resource) as directory:
        _small_model().save(directory)
        damage(directory)
    with pytest.raises(RasaException, match="make train"):
        _load(storage, resource)
