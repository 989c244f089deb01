"""The article split into numbered sentences (scripts/article_sentences.py)."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from scripts import article_sentences
from scripts.article_sentences import ARTICLE, OUT, sentences_of, split_paragraph


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        (
            "Har du hørt om nogen, der undgik det i 2. eller 3. graviditet? "
            "Evt. ved at træne kernen?",
            [
                "Har du hørt om nogen, der undgik det i 2. eller 3. graviditet?",
                "Evt. ved at træne kernen?",
            ],
        ),
        (
            "SI-leddene kan bevæge sig (ca. 2 mm og ca. 3° rotation). Under "
            "graviditeten bliver de løsere.",
            [
                "SI-leddene kan bevæge sig (ca. 2 mm og ca. 3° rotation).",
                "Under graviditeten bliver de løsere.",
            ],
        ),
        (
            "Kernen betyder meget (og i det hele taget!) – mere om det senere.",
            ["Kernen betyder meget (og i det hele taget!) – mere om det senere."],
        ),
        (
            "Brug den rette teknik f.eks. når du løfter. Det hjælper, bl.a. "
            "fordi kernen bliver stærk.",
            [
                "Brug den rette teknik f.eks. når du løfter.",
                "Det hjælper, bl.a. fordi kernen bliver stærk.",
            ],
        ),
        ("Hej Thora", ["Hej Thora"]),  # a line without a full stop
        ("Det  er også\n vigtigt.", ["Det er også vigtigt."]),  # spaces made single
    ],
)
def test_a_paragraph_is_split_where_a_sentence_ends(paragraph, sentences):
    assert split_paragraph(paragraph) == sentences


def test_sentences_are_numbered_in_reading_order_with_their_paragraph():
    found = sentences_of("Først. Så noget.\n\nOverskrift\n\nSidst!")
    assert [(s.number, s.paragraph, s.text) for s in found] == [
        (1, 1, "Først."),
        (2, 1, "Så noget."),
        (3, 2, "Overskrift"),
        (4, 3, "Sidst!"),
    ]


def test_check_tells_a_file_that_is_not_what_the_article_gives(tmp_path):
    article, out = tmp_path / "article.txt", tmp_path / "sentences.yml"
    article.write_text("Første sætning. Anden sætning.\n", "utf-8")
    assert article_sentences.main(["--article", str(article), "--out", str(out)]) == 0
    arguments = ["--article", str(article), "--out", str(out), "--check"]
    assert article_sentences.main(arguments) == 0
    article.write_text("Første sætning. En ny anden sætning.\n", "utf-8")
    assert article_sentences.main(arguments) == 1


@pytest.mark.skipif(not ARTICLE.exists(), reason="no ../shared/source/article.da.txt")
def test_the_committed_sentences_are_what_the_article_gives():
    article = ARTICLE.read_text("utf-8")
    assert OUT.read_text("utf-8") == article_sentences.rendered(article)
    data = yaml.safe_load(OUT.read_text("utf-8"))
    assert data["sha256"] == hashlib.sha256(article.encode("utf-8")).hexdigest()
    numbers = [entry["n"] for entry in data["sentences"]]
    assert numbers == list(range(1, len(numbers) + 1))
    texts = [entry["text"] for entry in data["sentences"]]
    # the figures an answer may quote are in the sentences, as written
    assert any("ca. 2 mm og ca. 3° rotation" in text for text in texts)
    assert any("8-9 måneder" in text for text in texts)
    assert any("Stuge" in text and "(2004)" in text for text in texts)
