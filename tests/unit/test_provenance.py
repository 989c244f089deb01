"""Every FAQ answer says what the article sentences it cites say (issue 23).

On the shipped answers and source map the check finds nothing; on each drift a
review by hand once found, put back into a shipped answer
(``fixtures/drifted_answers.yml``), it names the rule that catches it. The
similarity threshold is measured again here, so a change to the answers or
the article that makes it meaningless fails this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.text.article_sources import (
    SourceMap,
    answer_sentences,
    read_source_map,
    shipped_source_map,
    source_metadata,
)
from evaluation import provenance, sources_report
from evaluation.provenance import (
    SUPPORT_THRESHOLD,
    all_problems,
    answer_problems,
    faq_answers,
    rarity,
    support,
    unused_sentences,
)

SOURCES = shipped_source_map()
ANSWERS = faq_answers()
DRIFTS = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "drifted_answers.yml").read_text("utf-8")
)


def test_every_shipped_answer_keeps_to_its_sources():
    problems = all_problems(SOURCES, ANSWERS)
    assert not problems, "\n".join(str(p) for p in problems)


def test_every_answer_in_both_languages_has_its_source_map():
    assert set(SOURCES.answers) == set(ANSWERS)
    for topic, texts in ANSWERS.items():
        assert set(texts) == {"da", "en"}
        for text in texts.values():
            assert len(answer_sentences(text)) == len(SOURCES.answers[topic])


def test_every_answer_cites_the_article_somewhere():
    assert all(SOURCES.cited(topic) for topic in SOURCES.answers)


@pytest.mark.parametrize("drift", DRIFTS, ids=[d["drift"] for d in DRIFTS])
def test_each_drift_put_back_is_caught(drift):
    shipped = ANSWERS[drift["topic"]][drift["language"]]
    assert drift["shipped"] in shipped, "the fixture no longer matches the answer"
    drifted = shipped.replace(drift["shipped"], drift["drifted"])
    found = answer_problems(SOURCES, drift["topic"], drift["language"], drifted)
    assert drift["rule"] in {p.rule for p in found}, found


def test_the_similarity_threshold_separates_right_citations_from_wrong_ones():
    """Every citing Danish sentence is above it; 99 % of wrong pairs are below."""
    weights = rarity(SOURCES.article.values())
    right, wrong = [], []
    for topic, texts in ANSWERS.items():
        sentences = answer_sentences(texts["da"])
        for sentence, entry in zip(sentences, SOURCES.answers[topic], strict=True):
            if not entry.cites:
                continue
            cited = " ".join(SOURCES.article[n] for n in entry.cites)
            right.append(support(sentence, cited, weights))
            wrong += [
                support(sentence, text, weights)
                for n, text in SOURCES.article.items()
                if n not in entry.cites
            ]
    wrong.sort()
    percentile_99 = wrong[int(len(wrong) * 0.99)]
    print(f"right: min {min(right):.2f}; wrong: p99 {percentile_99:.2f}")
    assert percentile_99 < SUPPORT_THRESHOLD < min(right)


def _map_with(tmp_path: Path, change: str, to: str) -> SourceMap:
    text = tmp_path / "answer_sources.yml"
    shipped = provenance.ROOT / "source" / "answer_sources.yml"
    original = shipped.read_text("utf-8")
    assert change in original
    text.write_text(original.replace(change, to), "utf-8")
    return read_source_map(source_map=text)


@pytest.mark.parametrize(
    ("change", "to", "detail"),
    [
        ("  - cites: [60]\n", "  - cites: [600]\n", "which the article does not have"),
        ("  - own: scope\n", "  - own: opinion\n", "a known reason"),
        ("  - cites: [60]\n", "", "entries in the source map"),
        ("    adds: reassurance\n", "    adds: hope\n", "own_words does not explain"),
    ],
)
def test_a_broken_source_map_is_named(tmp_path, change, to, detail):
    sources = _map_with(tmp_path, change, to)
    problems = [str(p) for p in all_problems(sources, ANSWERS)]
    assert any(p for p in problems if detail in p and "map" in p), problems


def test_the_source_a_client_gets_quotes_the_article_in_danish():
    danish = source_metadata(SOURCES, "ligament_healing", "da")
    english = source_metadata(SOURCES, "ligament_healing", "en")
    assert danish is not None and english is not None
    assert [s["n"] for s in danish["sentences"]] == [60, 61]
    assert danish["sentences"][0]["text"].startswith("Her skal man lige huske på")
    assert danish["translated"] is False and english["translated"] is True
    assert english["sentences"] == danish["sentences"]
    assert source_metadata(SOURCES, "no_such_topic", "da") is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("ca. 2 mm og ca. 3° rotation", "da", {"2", "3"}),
        ("tre knogler: to hofteben", "da", {"3", "2"}),
        ("in their second and third pregnancies", "en", {"2", "3"}),
        ("8–9 months", "en", {"8", "9"}),
        ("It helps to keep up", "en", set()),  # English "to" is no number
    ],
)
def test_numbers_are_read_in_digits_and_words(text, language, expected):
    assert provenance.numbers(text, language) == expected


def test_every_article_sentence_no_answer_uses_has_its_reason():
    unused = unused_sentences(SOURCES)
    assert sorted(SOURCES.not_used) == unused  # and no reason for a used one
    assert all(reason.strip() for reason in SOURCES.not_used.values())


def test_the_sources_report_is_what_make_evaluate_writes():
    report = provenance.ROOT / "reports" / sources_report.REPORT
    assert report.read_text("utf-8") == sources_report.render(SOURCES, ANSWERS), (
        "reports/sources.md is stale: run `make evaluate` "
        "(or python -m evaluation.sources_report)"
    )
