"""Build the Danish spaCy pipeline the NLU config loads (build/spacy_da).

spaCy's trained Danish models (da_core_news_*) are not on PyPI and nothing may
be downloaded at run time, so the project builds its own pipeline: spaCy's
Danish tokenizer rules plus a lookup lemmatizer whose table comes from the
spacy-lookups-data package. Both are installed from requirements.txt.

Usage: python scripts/build_spacy_pipeline.py OUTPUT_DIRECTORY
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy


def build_pipeline() -> spacy.language.Language:
    """A blank Danish pipeline with a lookup lemmatizer, initialised."""
    nlp = spacy.blank("da")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def main(argv: list[str]) -> int:
    """Writes the pipeline to the directory given as the only argument."""
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    output = Path(argv[1])
    nlp = build_pipeline()
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    lemmas = [token.lemma_ for token in nlp("bækkenet gør ondt i graviditeterne")]
    print(f"Built {output} (lemmas of a test sentence: {' '.join(lemmas)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
