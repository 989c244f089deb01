"""Intent and FAQ topic in one linear model: fast, small and quick to train.

One logistic regression over two kinds of TF-IDF features picks among every
label at once: the plain intents (``greet``, ``urgent``, ...) and the FAQ
topics (``faq/recurrence``, ...). The features are

- character n-grams (2-5, within word boundaries) of the lowercased text,
  which carry typos and spellings without æ/ø/å, and
- word uni- and bigrams of the tokens' lemmas (spaCy's, from the tokenizer
  before it), so "bækkenet" and "bækkenets" count as one word.

Its output has the shape Rasa's ``DIETClassifier`` and ``ResponseSelector``
give together, so everything after it (``FallbackClassifier``, the FAQ gate,
the ask-back offer, ``utter_faq``) works unchanged:

- ``intent`` / ``intent_ranking``: the plain intents, and ``faq`` with the sum
  of its topics' probabilities;
- ``response_selector["faq"]``: the topics ranked by P(topic | faq).

Why not DIET and the ResponseSelector: on this data set they were no more
accurate than the plain TF-IDF baseline in cross-validation, while costing
most of the NLU time per message, about 400 MB of memory and two of the three
minutes of training (see reports/nlu.md and reports/bench.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_RESPONSE_KEY,
    TEXT,
    TEXT_TOKENS,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.fingerprint import CodeFingerprint
from assistant.nlu.intents import RETRIEVAL_INTENT, set_topic_ranking
from assistant.nlu.linear_model import LinearModel

RANKING_LENGTH = 10

Ranking = list[dict[str, Any]]


def split_prediction(
    labels: Sequence[str],
    probabilities: Sequence[float],
    retrieval_intent: str = RETRIEVAL_INTENT,
    ranking_length: int = RANKING_LENGTH,
) -> tuple[Ranking, Ranking]:
    """Turn one distribution over all labels into Rasa's two rankings.

    Returns (intent ranking, topic ranking). The intent ranking holds each
    plain intent with its probability and ``retrieval_intent`` with the sum
    over its topics; the topic ranking holds each topic's probability given
    the retrieval intent, as {"intent_response_key", "confidence"}. Both are
    sorted best first (ties by name) and cut to ``ranking_length``.
    """
    prefix = f"{retrieval_intent}/"
    intents: dict[str, float] = {}
    topics: dict[str, float] = {}
    for label, probability in zip(labels, probabilities, strict=True):
        if label.startswith(prefix):
            topics[label] = float(probability)
            intents[retrieval_intent] = intents.get(retrieval_intent, 0.0) + float(
                probability
            )
        else:
            intents[label] = float(probability)
    faq_total = sum(topics.values())
    intent_ranking = [
        {"name": name, "confidence": confidence}
        for name, confidence in sorted(intents.items(), key=lambda i: (-i[1], i[0]))
    ]
    topic_ranking = [
        {
            "intent_response_key": key,
            "confidence": confidence / faq_total if faq_total > 0 else 0.0,
        }
        for key, confidence in sorted(topics.items(), key=lambda i: (-i[1], i[0]))
    ]
    return intent_ranking[:ranking_length], topic_ranking[:ranking_length]


def lemma_text(message: Message) -> str:
    """The message's words as lowercased lemmas (token texts without lemmas)."""
    tokens = message.get(TEXT_TOKENS) or []
    return " ".join(str(token.lemma or token.text).lower() for token in tokens)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearIntentClassifier(CodeFingerprint, GraphComponent, IntentClassifier):
    """Classifies intents and FAQ topics with one linear model."""

    @classmethod
    def required_components(cls) -> list[type]:
        """A tokenizer before it: the lemma n-grams are read from its tokens."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Feature ranges and the regularisation, as measured best."""
        return {
            "character_ngrams": [2, 5],
            "word_ngrams": [1, 2],
            "C": 30.0,
            "random_seed": 1,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: LinearModel | None = None,
    ) -> None:
        """A classifier, trained if ``model`` is given."""
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        """An untrained classifier."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        """The classifier as trained (untrained if training saw no examples).

        Only plain JSON and arrays are read (``LinearModel.load``). A model
        whose files are damaged or not what this version writes stops the
        server with a ``RasaException`` that says to retrain, instead of a bot
        that falls back on every message.
        """
        try:
            with model_storage.read_from(resource) as directory:
                if not any(directory.iterdir()):  # too few intents to train
                    return cls(config, model_storage, resource)
                try:
                    model = LinearModel.load(directory)
                except (ValueError, KeyError, OSError) as error:
                    raise RasaException(
                        "This model's intent classifier cannot be loaded "
                        f"({error}): the model is damaged or was trained by "
                        "another version of the assistant. Retrain it "
                        "(`make train`)."
                    ) from error
        except ValueError:  # read_from: training saved nothing for it
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the model on every intent example (FAQ ones by topic)."""
        examples = [
            example
            for example in training_data.intent_examples
            if example.get(TEXT) and example.get(INTENT)
        ]
        if len({self._label(example) for example in examples}) < 2:
            return self._resource
        model = LinearModel(self._config)
        model.fit(
            [str(example.get(TEXT)) for example in examples],
            [lemma_text(example) for example in examples],
            [self._label(example) for example in examples],
        )
        self._model = model
        with self._model_storage.write_to(self._resource) as directory:
            model.save(directory)
        return self._resource

    @staticmethod
    def _label(example: Message) -> str:
        return str(example.get(INTENT_RESPONSE_KEY) or example.get(INTENT))

    def process(self, messages: list[Message]) -> list[Message]:
        """Set intent, intent ranking and the FAQ topic on each message."""
        if self._model is None or not messages:
            return messages
        rows = self._model.probabilities(
            [str(message.get(TEXT) or "") for message in messages],
            [lemma_text(message) for message in messages],
        )
        for message, row in zip(messages, rows, strict=True):
            intent_ranking, topic_ranking = split_prediction(self._model.labels, row)
            message.set(INTENT, intent_ranking[0], add_to_output=True)
            message.set("intent_ranking", intent_ranking, add_to_output=True)
            if topic_ranking:
                set_topic_ranking(message, topic_ranking)
        return messages
