"""Rule matching with each rule read once gives exactly Rasa's rule keys.

``RecentTurnsRulePolicy._get_possible_keys`` (assistant/policies/rule_policy.py)
replaces Rasa's, which reads every rule from its JSON key for every turn and
prediction. Here both are asked the same questions: the rules of the shipped
model (trained by `make test` before the tests run), against the states of a
conversation with every kind of turn after each of its events, and against
each rule's own states (where it must apply) and those states shifted.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from rasa.core.policies.rule_policy import (
    RULES,
    RULES_FOR_LOOP_UNHAPPY_PATH,
    RulePolicy,
)
from rasa.shared.core.domain import Domain

from assistant.policies.recent_states import states_of
from assistant.policies.rule_policy import (
    RecentTurnsRulePolicy,
    candidate_rules,
    possible_rule_keys,
    reversed_rules,
    rule_index,
)
from tests.unit.test_tracker_history import growing

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"


@pytest.fixture(scope="module")
def lookup() -> dict:
    """The rule policy's lookup in the shipped model."""
    with tarfile.open(MODEL) as model:
        [member] = [
            m for m in model.getmembers() if m.name.endswith("rule_policy.json")
        ]
        data = model.extractfile(member)
        assert data is not None
        return json.load(data)["lookup"]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def policies() -> tuple[RulePolicy, RecentTurnsRulePolicy]:
    """Rasa's matching and the project's (they read nothing but the lookup)."""
    return object.__new__(RulePolicy), object.__new__(RecentTurnsRulePolicy)


def conversations(domain: Domain, lookup: dict) -> list[list[dict]]:
    """States to match: a conversation after each event; each rule, and shifted."""
    asked = [states_of(tracker, domain) for tracker in growing(domain)]
    for rules in (lookup[RULES], lookup[RULES_FOR_LOOP_UNHAPPY_PATH]):
        for key in rules:
            states = RulePolicy._rule_key_to_state(key)
            asked += [states, states[1:], states[:-1], [{}, *states]]
    return asked


STARTING = "rules that start the conversation"


def starting(rules: dict) -> dict:
    """Each rule also with ``conversation_start: true`` (the empty state first)."""
    return {
        **rules,
        **{
            json.dumps(
                [{}, *RulePolicy._rule_key_to_state(key)], sort_keys=True
            ): action
            for key, action in rules.items()
        },
    }


@pytest.mark.parametrize("rules", [RULES, RULES_FOR_LOOP_UNHAPPY_PATH, STARTING])
def test_the_same_rules_apply_as_with_rasas_matching(lookup, domain, rules):
    rasa, ours = policies()
    asked = conversations(domain, lookup)
    matching = starting(lookup[RULES]) if rules == STARTING else lookup[rules]
    matched = 0
    for states in asked:
        expected = rasa._get_possible_keys(matching, states)
        assert ours._get_possible_keys(matching, states) == expected, states
        matched += bool(expected)
    # the comparison is not only of empty answers
    assert len(asked) > 300 and matched > 50


def test_a_rule_applies_to_its_own_states(lookup):
    rules = reversed_rules(lookup[RULES])
    for key, _ in rules:
        assert key in possible_rule_keys(rules, RulePolicy._rule_key_to_state(key))


def test_a_lookup_changed_in_place_is_read_again(lookup):
    _, ours = policies()
    rules = dict(lookup[RULES])
    [key, *_] = rules
    states = RulePolicy._rule_key_to_state(key)
    assert key in ours._get_possible_keys(rules, states)
    del rules[key]  # as training does between two predictions
    assert key not in ours._get_possible_keys(rules, states)


LISTEN = {"action_name": "action_listen"}
NOT_SET = "should_not_be_set"
# rules whose last turn demands each kind of thing, or nothing
ODD_RULES = [
    [{}],  # an empty rule: applies everywhere Rasa's matching says
    [{"prev_action": LISTEN, "user": {"intent": "greet"}}],
    [{"prev_action": LISTEN, "user": {"intent": NOT_SET}}],
    [{"prev_action": LISTEN}],
    [{"prev_action": {"action_text": "Hej"}, "user": {"intent": "greet"}}],
    [{"prev_action": {"action_name": NOT_SET}, "user": {"text": "hej"}}],
    [{"user": {"intent": "greet"}}],  # no previous action: the start
    [{}, {"prev_action": LISTEN, "user": {"intent": "greet"}}],
    [
        {"prev_action": LISTEN, "user": {"intent": "greet"}},
        {"prev_action": {"action_name": "utter_greet"}, "user": {"intent": "greet"}},
    ],
    [{"prev_action": LISTEN, "active_loop": {"name": "referral_form"}}],
]
ODD_STATES = [
    [],
    [{}],
    [{"user": {"intent": "greet"}}],
    [{"prev_action": LISTEN, "user": {"intent": "greet"}}],
    [{"prev_action": LISTEN, "user": {"text": "hej"}}],
    [{"prev_action": LISTEN}],
    [{"prev_action": {"action_text": "Hej"}, "user": {"intent": "greet"}}],
    [{"prev_action": {"action_name": "utter_greet"}, "user": {"intent": "greet"}}],
    [
        {"prev_action": LISTEN, "user": {"intent": "greet"}},
        {"prev_action": {"action_name": "utter_greet"}, "user": {"intent": "greet"}},
    ],
    [{"prev_action": LISTEN, "active_loop": {"name": "referral_form"}}],
]


@pytest.mark.parametrize("states", ODD_STATES)
def test_the_filed_rules_give_rasas_keys_for_every_kind_of_last_turn(states):
    lookup = {json.dumps(rule, sort_keys=True): "utter_x" for rule in ODD_RULES}
    rules = reversed_rules(lookup)
    candidates = candidate_rules(rule_index(rules), rules, states)
    expected = object.__new__(RulePolicy)._get_possible_keys(lookup, states)
    assert possible_rule_keys(candidates, states) == expected


def test_a_prediction_tests_a_few_of_the_shipped_rules(lookup, domain):
    rules = reversed_rules(lookup[RULES])
    index = rule_index(rules)
    tested = [
        len(candidate_rules(index, rules, states_of(tracker, domain)))
        for tracker in growing(domain)
    ]
    assert max(tested) <= len(rules) // 4, tested
