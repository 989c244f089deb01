"""The linear model behind ``LinearIntentClassifier``, free of Rasa.

TF-IDF over character n-grams of the text and over n-grams of its lemmas,
then a multinomial logistic regression (scikit-learn). Training goes through
scikit-learn; prediction for one message at a time is computed directly
(``LinearModel.scores``), with the same numbers as scikit-learn's transforms
and ``predict_proba`` (a unit test holds the two together), because for a
single short message scikit-learn's sparse-matrix machinery costs far more
than the arithmetic.

A trained model is saved as plain data, never as a pickle (``save``/``load``):
the vocabularies, labels and settings as JSON, the IDF weights, coefficients
and intercepts as ``.npy`` arrays read with ``allow_pickle=False``. Loading a
model therefore cannot run code, whoever wrote the files (a pickle can: compare
CVE-2024-49375, after which Rasa moved its own scikit-learn models off pickle).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

SETTINGS = ("character_ngrams", "word_ngrams", "C", "random_seed")
FORMAT_VERSION = 1
DESCRIPTION_FILE = "linear_model.json"
ARRAY_FILES = {
    "character_idf": "character_idf.npy",
    "word_idf": "word_idf.npy",
    "coefficients": "coefficients.npy",
    "intercepts": "intercepts.npy",
}


class LinearModel:
    """TF-IDF character n-grams + lemma n-grams, then a logistic regression."""

    def __init__(self, config: dict[str, Any]) -> None:
        """An untrained model with the component's settings."""
        self.config = {key: config[key] for key in SETTINGS}
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

    def save(self, directory: Path) -> None:
        """Write the trained model to ``directory`` as JSON and ``.npy`` arrays."""
        description = {
            "format": FORMAT_VERSION,
            "settings": self.config,
            "labels": self.labels,
            "character_vocabulary": _by_index(self.characters.vocabulary_),
            "word_vocabulary": _by_index(self.words.vocabulary_),
        }
        (directory / DESCRIPTION_FILE).write_text(
            json.dumps(description, ensure_ascii=False), encoding="utf-8"
        )
        arrays = {
            "character_idf": self.characters.idf_,
            "word_idf": self.words.idf_,
            "coefficients": self.classifier.coef_,
            "intercepts": self.classifier.intercept_,
        }
        for name, array in arrays.items():
            np.save(
                directory / ARRAY_FILES[name], np.asarray(array), allow_pickle=False
            )

    @classmethod
    def load(cls, directory: Path) -> LinearModel:
        """The model ``save`` wrote, ready to predict; never unpickles anything.

        Raises ``FileNotFoundError`` if a file is missing and ``ValueError`` if
        one is not what ``save`` writes (e.g. an array holding Python objects).
        """
        description = json.loads(
            (directory / DESCRIPTION_FILE).read_text(encoding="utf-8")
        )
        if description.get("format") != FORMAT_VERSION:
            raise ValueError(f"unknown model format {description.get('format')!r}")
        arrays = {
            name: np.load(directory / filename, allow_pickle=False)
            for name, filename in ARRAY_FILES.items()
        }
        model = cls(description["settings"])
        for vectorizer, vocabulary, idf in (
            (model.characters, description["character_vocabulary"], "character_idf"),
            (model.words, description["word_vocabulary"], "word_idf"),
        ):
            vectorizer.vocabulary_ = {
                feature: i for i, feature in enumerate(vocabulary)
            }
            vectorizer.idf_ = arrays[idf]
        labels = description["labels"]
        coefficients, intercepts = arrays["coefficients"], arrays["intercepts"]
        features = len(model.characters.vocabulary_) + len(model.words.vocabulary_)
        if coefficients.shape[1] != features or len(intercepts) != len(coefficients):
            raise ValueError("the saved weights do not fit the saved vocabularies")
        model.classifier.classes_ = np.array(labels)
        model.classifier.coef_ = coefficients
        model.classifier.intercept_ = intercepts
        model.classifier.n_features_in_ = features
        model.prepare()
        return model

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


def _by_index(vocabulary: dict[str, int]) -> list[str]:
    """A vocabulary (feature -> column) as the list of features by column."""
    features = [""] * len(vocabulary)
    for feature, column in vocabulary.items():
        features[column] = feature
    return features


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
