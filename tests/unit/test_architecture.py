"""The rooms of assistant/: who may import whom, and what the config files name.

assistant/__init__.py states the rules; these tests keep them.
"""

import ast
import importlib
import re
import sys
from pathlib import Path

import pytest
import yaml

from assistant.server import action_secret
from knowledge import intents, referral_answers
from scripts import action_server

ROOT = Path(__file__).resolve().parents[2]
ASSISTANT = ROOT / "assistant"
PACKAGES = [
    "config",
    "text",
    "nlu",
    "policies",
    "nlg",
    "server",
    "stores",
    "channels",
]

# The layers of assistant/, bottom first: a package imports only packages of
# lower layers (and itself), so no two packages import each other, inside a
# function either.
LAYERS = [
    {"config", "text", "fingerprint"},
    {"nlu", "policies", "nlg"},
    {"server"},
    {"stores"},
    {"channels"},
]


def layer_of(name: str) -> int:
    """The layer of ``assistant.<name>...``."""
    return next(i for i, layer in enumerate(LAYERS) if name in layer)


def project_imports(path: Path, root: str) -> set[str]:
    """The ``root...`` modules a file imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name for name in names if name == root or name.startswith(root + ".")}


def modules_of(package: str) -> list[Path]:
    return sorted((ASSISTANT / package).rglob("*.py"))


def test_assistant_has_only_its_packages_and_the_fingerprint():
    top = sorted(path.name for path in ASSISTANT.iterdir() if path.suffix == ".py")
    assert top == ["__init__.py", "fingerprint.py"]
    folders = {path.name for path in ASSISTANT.iterdir() if path.is_dir()}
    assert folders - {"__pycache__"} == set(PACKAGES)


@pytest.mark.parametrize("package", [".", *PACKAGES])
def test_every_package_says_what_lives_there(package):
    docstring = ast.get_docstring(
        ast.parse((ASSISTANT / package / "__init__.py").read_text())
    )
    assert docstring and len(docstring) > 100


def wrong_imports(package: str, paths: list[Path]) -> set[str]:
    """The imports of ``paths`` (in ``package``) that reach its layer or above."""
    return {
        f"{path.name} imports {name}"
        for path in paths
        for name in project_imports(path, "assistant")
        if name != "assistant"
        and name.split(".")[1] != package
        and layer_of(name.split(".")[1]) >= layer_of(package)
    }


def test_the_layers_name_every_package():
    assert set().union(*LAYERS) == {*PACKAGES, "fingerprint"}


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_lower_layers(package):
    assert wrong_imports(package, modules_of(package)) == set()


def test_the_layer_check_sees_an_import_upwards_inside_a_function(tmp_path):
    module = tmp_path / "retention.py"
    module.write_text(
        "def load():\n    from assistant.channels.widget_auth import token_for\n"
    )
    assert wrong_imports("stores", [module]) == {
        "retention.py imports assistant.channels.widget_auth"
    }


def test_the_rule_check_sees_a_forbidden_import(tmp_path):
    module = tmp_path / "gate.py"
    module.write_text("from assistant.channels.rest import ValidatedRestInput\n")
    assert project_imports(module, "assistant") == {"assistant.channels.rest"}


def test_the_action_server_never_imports_assistant():
    files = [
        *sorted((ROOT / "actions").rglob("*.py")),
        ROOT / "scripts/action_server.py",
    ]
    assert {
        str(path.relative_to(ROOT)): sorted(project_imports(path, "assistant"))
        for path in files
        if project_imports(path, "assistant")
    } == {}
    # what it shares with the Rasa server comes from the shared package
    shared = {name for path in files for name in shared_modules_imported(path)}
    assert {
        "knowledge.care_situations",
        "knowledge.action_secret",
        "knowledge.intents",
    } <= shared


# Where an intent's name is spelled as something else, on purpose.
NOT_AN_INTENT = {
    ("assistant/channels/reply_metadata.py", "urgent"),  # the replies' metadata key
    ("scripts/shell.py", "urgent"),  # the same metadata key, read by the shell
    ("actions/referral/advice.py", "urgent"),  # a kind of advice (the table's row)
    ("harness/services.py", "stop"),  # pg_ctl's command
    ("scripts/shell.py", "stop"),  # "/stop" quits the terminal client, as in Rasa's
}
CODE_FOLDERS = ("assistant", "actions", "scripts", "evaluation", "bench", "harness")


def docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes of a module and its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def intent_names_spelled_in(path: Path, names: set[str]) -> set[str]:
    """The intent names a file writes in string constants (docstrings aside).

    As the name itself ("urgent") or as a button's payload ("/urgent",
    "/faq/<topic>", a "/affirm" inside a pattern), where ``intents.payload``
    should write it.
    """
    tree = ast.parse(path.read_text("utf-8"))
    skipped = docstrings(tree)
    payload = re.compile(
        r"(?<![\w/.])/(" + "|".join(map(re.escape, sorted(names))) + r")\b"
    )
    spelled = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if node.value in names:
            spelled.add(node.value)
        elif id(node) not in skipped:
            spelled.update(payload.findall(node.value))
    return spelled


def test_the_shared_intents_are_the_domains():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    assert sorted(intents.INTENTS) == sorted(domain["intents"])


def test_no_module_but_the_shared_one_spells_an_intent():
    names = {*intents.INTENTS, intents.NLU_FALLBACK}
    spelled = {
        (str(path.relative_to(ROOT)), name)
        for folder in CODE_FOLDERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        for name in intent_names_spelled_in(path, names)
    }
    assert spelled - NOT_AN_INTENT == set()


def test_the_intent_check_sees_a_spelled_intent(tmp_path):
    module = tmp_path / "gate.py"
    module.write_text('URGENT = "urgent"\nname = intents.URGENT\n')
    assert intent_names_spelled_in(module, {"urgent", "faq"}) == {"urgent"}


@pytest.mark.parametrize(
    ("source", "spelled"),
    [
        ('GREETING = "/greet"', {"greet"}),
        ('YES = re.compile(r"^(ja|yes|/affirm)\\b")', {"affirm"}),
        ('TOPIC = re.compile(r"/faq/[a-z_]+")', {"faq"}),
        ('"""A docstring may say /greet."""', set()),
        ('FILE = "data/faq/nlu.yml"', set()),  # a path, not a payload
        ('URL = "/webhooks/rest/webhook"', set()),
        ("GREETING = intents.payload(intents.GREET)", set()),
    ],
)
def test_the_intent_check_sees_a_payload_written_out(tmp_path, source, spelled):
    module = tmp_path / "channel.py"
    module.write_text(source + "\n")
    names = {"greet", "affirm", "faq", "webhook"}
    assert intent_names_spelled_in(module, names) == spelled


def shared_modules_imported(path: Path) -> set[str]:
    """The ``knowledge`` modules a file imports, ``from knowledge import x`` too."""
    names = project_imports(path, "knowledge")
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "knowledge":
            names.update(f"knowledge.{alias.name}" for alias in node.names)
    return names - {"knowledge"}


def imported_top_level_names(path: Path) -> set[str]:
    """The top-level package of everything ``path`` imports (absolute imports)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_shared_knowledge_needs_only_the_standard_library():
    modules = sorted((ROOT / "knowledge").rglob("*.py"))
    assert modules
    allowed = set(sys.stdlib_module_names) | {"__future__", "knowledge"}
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules
        for name in imported_top_level_names(path) - allowed
    }
    assert wrong == set()


def test_the_shared_knowledge_check_sees_a_project_import(tmp_path):
    module = tmp_path / "facts.py"
    module.write_text("from assistant.text.situation import PREGNANT\nimport yaml\n")
    assert imported_top_level_names(module) == {"assistant", "yaml"}


def project_classes_named_in(file_name: str) -> list[str]:
    """Every ``assistant.`` dotted name in a config file's keys and values."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith("assistant."):
            found.append(value)

    walk(yaml.safe_load((ROOT / file_name).read_text()))
    return found


def load(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize(
    "file_name", ["config.yml", "credentials.yml", "endpoints.yml"]
)
def test_config_files_name_classes_that_exist(file_name):
    names = project_classes_named_in(file_name)
    assert names
    for name in names:
        assert callable(load(name)), name


def test_every_project_component_tells_rasas_cache_about_its_code():
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    components = [
        item
        for item in config["pipeline"] + config["policies"]
        if item["name"].startswith("assistant.")
    ]
    assert len(components) >= 8
    for component in components:
        assert load(component["name"]).fingerprint_addon(component), component["name"]


def names_imported_from(path: Path, module: str) -> set[str]:
    """The names ``path`` imports with ``from <module> import ...``."""
    return {
        alias.name
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == module
        for alias in node.names
    }


def test_both_halves_of_the_action_servers_secret_read_the_shared_names():
    # the action server never imports assistant/: both read them from knowledge/
    for half in (
        ROOT / "scripts/action_server.py",
        ASSISTANT / "server/action_secret.py",
    ):
        assert {"ENVIRONMENT_VARIABLE", "HEADER"} <= names_imported_from(
            half, "knowledge.action_secret"
        ), half
    assert (action_server.ENVIRONMENT_VARIABLE, action_server.HEADER) == (
        action_secret.ENVIRONMENT_VARIABLE,
        action_secret.HEADER,
    )


@pytest.mark.parametrize(
    "values",
    [referral_answers.STAGES, referral_answers.ACTIVITIES],
    ids=["stages", "activities"],
)
def test_the_referral_checks_answers_are_spelled_only_in_knowledge(values):
    """A stage ("postpartum") or an activity ("one_leg") is named, not spelled."""
    spelled = {
        (str(path.relative_to(ROOT)), node.value)
        for folder in ("assistant", "actions")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant) and node.value in values
    }
    # the care_situation slot's own value "pregnant" (knowledge/care_situations.py)
    # is another slot's value, read through its own name, so none is left here
    assert spelled == set()


# Names both sides use (a response, an action, a metadata key), and the one
# module that spells each.
SHARED_NAMES = {
    "utter_urgent_signs": "knowledge/referral_answers.py",
    "denial_then_own_pain": "knowledge/referral_answers.py",
    "action_suggest_topics": "knowledge/ask_back.py",
    "utter_suggest_topics": "knowledge/ask_back.py",
    "feedback_for": "assistant/channels/reply_metadata.py",
}


@pytest.mark.parametrize("name", sorted(SHARED_NAMES))
def test_a_name_both_sides_use_is_spelled_in_one_module(name):
    spelled = {
        str(path.relative_to(ROOT))
        for folder in ("assistant", "actions", "knowledge", "scripts")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant) and node.value == name
    }
    assert spelled == {SHARED_NAMES[name]}


# What assistant/ never imports: the other process, the tools around it.
NOT_FOR_THE_SERVER = {"actions", "scripts", "evaluation", "bench", "harness", "tests"}


def test_the_rasa_server_imports_no_action_server_code_nor_tools():
    modules = sorted(ASSISTANT.rglob("*.py"))
    assert ASSISTANT / "fingerprint.py" in modules
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules
        for name in imported_top_level_names(path) & NOT_FOR_THE_SERVER
    }
    assert wrong == set()
