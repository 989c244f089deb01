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

Rule trackers (training) keep Rasa's own featurisation: a rule's snippet
marker ("...") and its conversation start need the whole rule.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.rule_policy import (
    RULES,
    RULES_FOR_LOOP_UNHAPPY_PATH,
    RulePolicy,
)
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.fingerprint import CodeFingerprint
from assistant.policies.recent_states import states_of


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RecentTurnsRulePolicy(CodeFingerprint, RulePolicy):
    """RulePolicy that featurises only the turns its rules can look at."""

    _span_of: Any = None
    _span: int = 0

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
