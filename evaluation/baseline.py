"""The plain baseline the chosen pipeline must beat.

TF-IDF over character n-grams (2-5, within word boundaries) and a logistic
regression, trained on the same examples with the same labels (``faq/<topic>``
or the plain intent). It has no fallback: it always answers its best guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline


def train_baseline(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    """Fit the baseline on (text, label) examples."""
    model = make_pipeline(
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), lowercase=True, sublinear_tf=True
        ),
        LogisticRegression(max_iter=3000, C=10.0),
    )
    model.fit(list(texts), list(labels))
    return model


def predict_baseline(model: Pipeline, texts: Sequence[str]) -> list[str]:
    """The baseline's label for each text."""
    return [str(label) for label in model.predict(list(texts))]
