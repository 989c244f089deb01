"""Rasa's training cache sees the code a component runs and the spaCy files."""

import importlib
import sys

import pytest
from rasa.engine.training.fingerprinting import calculate_fingerprint_key

from assistant import fingerprint
from assistant.fingerprint import code_fingerprint, project_modules
from assistant.nlu.linear_classifier import LinearIntentClassifier
from assistant.nlu.spacy_pipeline import SpacyPipelineNLP, folder_fingerprint


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A small package: ``a`` imports ``b`` (which imports ``c``); ``d`` is apart."""
    root = tmp_path / "fingerprinted"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "a.py").write_text("from fingerprinted.b import helper\n")
    (root / "b.py").write_text("from fingerprinted import c\n\ndef helper(): pass\n")
    (root / "c.py").write_text("VALUE = 1\n")
    (root / "d.py").write_text("OTHER = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield root
    for name in [name for name in sys.modules if name.startswith("fingerprinted")]:
        del sys.modules[name]  # the next test's package is another folder


def test_the_modules_a_module_imports_directly_or_not(package):
    assert set(project_modules("fingerprinted.a", ("fingerprinted",))) == {
        "fingerprinted",
        "fingerprinted.a",
        "fingerprinted.b",
        "fingerprinted.c",
    }


@pytest.mark.parametrize("edited", ["a.py", "b.py", "c.py"])
def test_an_edit_to_any_module_it_runs_changes_the_fingerprint(package, edited):
    before = code_fingerprint("fingerprinted.a", ("fingerprinted",))
    with (package / edited).open("a") as source:
        source.write("# edited\n")
    assert code_fingerprint("fingerprinted.a", ("fingerprinted",)) != before


def test_an_edit_elsewhere_keeps_the_fingerprint(package):
    before = code_fingerprint("fingerprinted.a", ("fingerprinted",))
    (package / "d.py").write_text("OTHER = 2\n")
    assert code_fingerprint("fingerprinted.a", ("fingerprinted",)) == before


def test_the_classifier_runs_its_model_and_intents_modules():
    modules = project_modules("assistant.nlu.linear_classifier")
    assert {"assistant.nlu.linear_model", "assistant.nlu.intents"} <= set(modules)
    assert not any(name.startswith("assistant.channels") for name in modules)


def test_the_shared_knowledge_a_component_runs_is_in_its_fingerprint():
    modules = project_modules("assistant.policies.situation_policy")
    assert "knowledge.care_situations" in modules


def test_rasas_cache_key_changes_with_the_code_the_classifier_imports(monkeypatch):
    config = LinearIntentClassifier.get_default_config()
    before = calculate_fingerprint_key(LinearIntentClassifier, config, {})
    # what an edit to assistant/nlu/linear_model.py does to the code hash
    monkeypatch.setattr(fingerprint, "code_fingerprint", lambda module: "edited")
    assert calculate_fingerprint_key(LinearIntentClassifier, config, {}) != before


def test_the_spacy_pipelines_files_are_in_its_cache_key(tmp_path):
    pipeline = tmp_path / "spacy_da"
    (pipeline / "vocab").mkdir(parents=True)
    (pipeline / "meta.json").write_text("{}")
    (pipeline / "vocab" / "lookups.bin").write_bytes(b"lemmas")
    config = {"model": str(pipeline)}
    before = SpacyPipelineNLP.fingerprint_addon(config)
    assert before == folder_fingerprint(pipeline)

    (pipeline / "vocab" / "lookups.bin").write_bytes(b"other lemmas")
    assert SpacyPipelineNLP.fingerprint_addon(config) != before


def test_a_spacy_package_name_is_left_to_rasa():
    assert SpacyPipelineNLP.fingerprint_addon({"model": "da_core_news_sm"}) is None
