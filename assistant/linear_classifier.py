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

from collections import Counter
from collections.abc import Sequence
from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_RESPONSE_KEY,
    TEXT,
    TEXT_TOKENS,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

RETRIEVAL_INTENT = "faq"
_MODEL_FILE = "linear_classifier.joblib"
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


def selector_output(topic_ranking: Ranking) -> dict[str, Any]:
    """The ``response_selector`` entry for the retrieval intent."""
    best = topic_ranking[0]
    key = str(best["intent_response_key"])
    return {
        "response": {
            "responses": [],
            "confidence": best["confidence"],
            "intent_response_key": key,
            "utter_action": f"utter_{key}",
        },
        "ranking": topic_ranking,
    }


def lemma_text(message: Message) -> str:
    """The message's words as lowercased lemmas (token texts without lemmas)."""
    tokens = message.get(TEXT_TOKENS) or []
    return " ".join(str(token.lemma or token.text).lower() for token in tokens)


class LinearModel:
    """TF-IDF character n-grams + lemma n-grams, then a logistic regression."""

    def __init__(self, config: dict[str, Any]) -> None:
        """An untrained model with the component's settings."""
        self.characters = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(config["character_ngrams"]),
            lowercase=True,
            sublinear_tf=True,
        )
        self.words = TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            ngram_range=tuple(config["word_ngrams"]),
            lowercase=False,
            sublinear_tf=True,
        )
        self.classifier = LogisticRegression(
            C=float(config["C"]),
            multi_class="multinomial",
            max_iter=5000,
            random_state=config["random_seed"],
        )
        self.weights = np.zeros((0, 0))
        self.intercepts = np.zeros(0)

    def fit(
        self, texts: Sequence[str], lemmas: Sequence[str], labels: Sequence[str]
    ) -> None:
        """Learn the vocabularies and the weights."""
        self.characters.fit(texts)
        self.words.fit(lemmas)
        self.classifier.fit(self.features(texts, lemmas), list(labels))
        self.prepare()

    def prepare(self) -> None:
        """Lay the model out for prediction (after fitting or loading).

        The weights become one contiguous (features x labels) matrix:
        multiplying by scikit-learn's transposed view of ``coef_`` copies it
        on every call. Each vectorizer's analyzer, vocabulary and IDF weights
        are kept at hand for ``scores``.
        """
        self.weights = np.ascontiguousarray(self.classifier.coef_.T)
        self.intercepts = np.asarray(self.classifier.intercept_)
        self._parts = [
            _VectorizerPart(self.characters, offset=0),
            _VectorizerPart(self.words, offset=len(self.characters.vocabulary_)),
        ]

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without what ``prepare`` derives (analyzers are closures)."""
        state = dict(self.__dict__)
        state.pop("_parts", None)
        return state

    def features(self, texts: Sequence[str], lemmas: Sequence[str]) -> Any:
        """The sparse feature matrix: character n-grams, then lemma n-grams."""
        return hstack(
            [self.characters.transform(texts), self.words.transform(lemmas)]
        ).tocsr()

    @property
    def labels(self) -> list[str]:
        """The labels, in the order of ``probabilities``' columns."""
        return [str(label) for label in self.classifier.classes_]

    def scores(self, text: str, lemmas: str) -> np.ndarray:
        """The linear scores of one message, one per label.

        The same numbers as ``features(...) @ weights + intercepts``, without
        building sparse matrices: for a single short message scikit-learn's
        transform machinery costs far more than the arithmetic.
        """
        scores = self.intercepts.copy()
        for part, document in zip(self._parts, (text, lemmas), strict=True):
            rows, values = part.tf_idf(document)
            if len(rows):
                scores += values @ self.weights[rows]
        return scores

    def probabilities(self, texts: Sequence[str], lemmas: Sequence[str]) -> np.ndarray:
        """One row of label probabilities per text (the multinomial softmax)."""
        scores = np.array(
            [
                self.scores(text, lemma)
                for text, lemma in zip(texts, lemmas, strict=True)
            ]
        ).reshape(len(texts), len(self.intercepts))
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return exponentials / exponentials.sum(axis=1, keepdims=True)


class _VectorizerPart:
    """One fitted ``TfidfVectorizer``, applied to one document at a time."""

    def __init__(self, vectorizer: TfidfVectorizer, offset: int) -> None:
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_) if vectorizer.use_idf else None
        self.sublinear = bool(vectorizer.sublinear_tf)
        self.norm = vectorizer.norm
        self.offset = offset

    def tf_idf(self, document: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature rows in the weight matrix, TF-IDF values) of the document."""
        counts = Counter(
            feature for feature in self.analyze(document) if feature in self.vocabulary
        )
        columns = np.fromiter(
            (self.vocabulary[feature] for feature in counts), dtype=np.intp
        )
        values = np.fromiter(counts.values(), dtype=np.float64)
        if self.sublinear:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values = values * self.idf[columns]
        if self.norm == "l2" and len(values):
            values /= np.sqrt(np.dot(values, values))
        elif self.norm == "l1" and len(values):
            values /= np.abs(values).sum()
        return columns + self.offset, values


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Classifies intents and FAQ topics with one linear model."""

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
        """The classifier as trained (untrained if training saw no examples)."""
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / _MODEL_FILE)
            model.prepare()
        except (ValueError, FileNotFoundError):
            model = None
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
            joblib.dump(model, directory / _MODEL_FILE)
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
                selector = message.get("response_selector") or {}
                selector["all_retrieval_intents"] = [RETRIEVAL_INTENT]
                selector[RETRIEVAL_INTENT] = selector_output(topic_ranking)
                message.set("response_selector", selector, add_to_output=True)
        return messages
