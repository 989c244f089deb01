"""Rasa's RulePolicy, at a cost that does not grow with the conversation.

Rasa's RulePolicy matches its rules against the states of the whole
conversation, rebuilt from the first event on every prediction (three times a
message). This one predicts exactly the same actions from the same rules, with
two changes to how the states are made:

- they are continued from the last prediction's replay of the same tracker
  (``assistant/policies/recent_states.py``), not replayed from the start;
- only the last ``rule_span`` states are handed to the matching, the longest
  rule's length: a rule of n states is checked against the last n states
  only (``RulePolicy._is_rule_applicable`` accepts every older state), so the
  older ones never change which rules apply, and the debug log, the feature
  key and the copies Rasa makes of the states stay as short as the rules.

And two changes to how the rules are matched: Rasa reads every rule from its
JSON key and reverses it again for every rule, turn and prediction
(``_get_possible_keys``, the tenth of a message's CPU in the bench); here
each rule is read and reversed once per lookup (``reversed_rules``), and
``possible_rule_keys`` applies Rasa's test of a rule's turn to it. And the
rules are filed by what their last turn demands (``rule_index``: the previous
action's name and her intent, or no previous action at all), so a
prediction tests only the rules filed under the conversation's last turn and
those that demand less (``candidate_rules``): about 3 of the 68 rules, where
every rule was tested, some 160 rule turns a message. The same keys
(tests/unit/test_rule_matching.py compares them with Rasa's).

Rule trackers (training) keep Rasa's own featurisation: a rule's snippet
marker ("...") and its conversation start need the whole rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rasa.core.policies.rule_policy import (
    RULES,
    RULES_FOR_LOOP_UNHAPPY_PATH,
    RulePolicy,
)
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

from assistant.fingerprint import CodeFingerprint
from assistant.policies.recent_states import states_of

# a rule's key and its states, the last first
ReversedRule = tuple[str, tuple[State, ...]]


def reversed_rules(lookup: Mapping[str, Any]) -> list[ReversedRule]:
    """Each rule of ``lookup`` with its states read from its key, the last first."""
    return [
        (key, tuple(reversed(RulePolicy._rule_key_to_state(key)))) for key in lookup
    ]


def rule_turn_applies(rule_state: State, conversation_state: State) -> bool:
    """Rasa's ``_is_rule_applicable`` for a turn the rule has."""
    current_previous_action = conversation_state.get(PREVIOUS_ACTION)
    rule_previous_action = rule_state.get(PREVIOUS_ACTION)
    if not rule_previous_action and not current_previous_action:
        return True  # both start the conversation
    if not rule_previous_action or not current_previous_action:
        return False  # only one of them does
    return RulePolicy._does_rule_match_state(rule_state, conversation_state)


def possible_rule_keys(rules: list[ReversedRule], states: Sequence[State]) -> set[str]:
    """The keys of the rules that apply to ``states`` (Rasa's ``_get_possible_keys``).

    A rule applies when each of its turns, counted back from the last,
    applies to the conversation's state as many turns back; a conversation
    longer than the rule is checked only as far back as the rule goes.
    """
    candidates = rules
    for turn_index, state in enumerate(reversed(states)):
        candidates = [
            (key, rule)
            for key, rule in candidates
            if turn_index >= len(rule) or rule_turn_applies(rule[turn_index], state)
        ]
    return {key for key, _ in candidates}


# what a rule's last turn demands: (previous action, intent), ANY where it
# demands no value; START: no previous action (the conversation's start)
ANY = object()
START = ("start",)
RuleIndex = dict[tuple[Any, ...], list[ReversedRule]]


def _demanded(sub_state: Any, key: str) -> Any:
    """The value a rule's sub-state demands for ``key``, or ANY."""
    value = sub_state.get(key) if isinstance(sub_state, dict) else None
    if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET:
        return value
    return ANY


def rule_index(rules: list[ReversedRule]) -> RuleIndex:
    """The rules filed by what their last turn demands (``rule_turn_applies``).

    A rule whose last turn has no previous action applies only where the
    conversation's last state has none either; any other demands its previous
    action's name and her intent to be the conversation's, where it names
    them (a value Rasa's matching requires to be equal).
    """
    index: RuleIndex = {}
    for key, rule in rules:
        last = rule[0] if rule else {}
        if not last.get(PREVIOUS_ACTION):
            filed: tuple[Any, ...] = START
        else:
            filed = (
                _demanded(last.get(PREVIOUS_ACTION), ACTION_NAME),
                _demanded(last.get(USER), INTENT),
            )
        index.setdefault(filed, []).append((key, rule))
    return index


def candidate_rules(
    index: RuleIndex, rules: list[ReversedRule], states: Sequence[State]
) -> list[ReversedRule]:
    """The rules that may apply to ``states``: all others demand another last turn."""
    if not states:
        return rules  # nothing to match: Rasa's answer is every rule
    last = states[-1]
    if not last.get(PREVIOUS_ACTION):
        return index.get(START, [])
    action = last[PREVIOUS_ACTION].get(ACTION_NAME)
    intent = last.get(USER, {}).get(INTENT)
    return [
        rule
        for filed in ((action, intent), (action, ANY), (ANY, intent), (ANY, ANY))
        for rule in index.get(filed, [])
    ]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RecentTurnsRulePolicy(CodeFingerprint, RulePolicy):
    """RulePolicy that featurises only the turns its rules can look at."""

    _span_of: Any = None
    _span: int = 0
    # id of a lookup -> (its keys when read, its rules reversed, filed)
    _read_rules: dict[int, tuple[set[str], list[ReversedRule], RuleIndex]] | None = None

    def rule_span(self) -> int:
        """The number of states in the longest rule (0 before training)."""
        rules = self.lookup.get(RULES, {})
        if self._span_of is not rules:
            keys = [*rules, *self.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
            self._span = max(
                (len(self._rule_key_to_state(key)) for key in keys), default=0
            )
            self._span_of = rules
        return self._span

    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        """The last ``rule_span`` of Rasa's states, continued from the last call."""
        if tracker.is_rule_tracker or self.rule_span() < 1:
            return super()._prediction_states(
                tracker, domain, use_text_for_last_user_input, rule_only_data
            )
        states = states_of(tracker, domain)[-self.rule_span() :]
        # what Rasa's featuriser does to the last state: text or intent
        self.featurizer._choose_last_user_input([states], use_text_for_last_user_input)
        return states

    def _get_possible_keys(
        self, lookup: dict[str, str], states: list[State]
    ) -> set[str]:
        """Rasa's keys of the rules that apply, each rule read once per lookup."""
        if self._read_rules is None:
            self._read_rules = {}
        read = self._read_rules.get(id(lookup))
        if read is None or read[0] != lookup.keys():  # new, or changed in training
            rules = reversed_rules(lookup)
            read = (set(lookup), rules, rule_index(rules))
            self._read_rules[id(lookup)] = read
        _, rules, index = read
        return possible_rule_keys(candidate_rules(index, rules, states), states)
