"""Dialogue policies that set slots and never predict an action.

``silent_policy`` (the base: lowest priority, all probabilities zero),
``language_policy`` (the ``language`` slot), ``situation_policy`` (the
``care_situation`` slot) and ``urgency_policy`` (the ``urgency`` slot).
Rasa's RulePolicy predicts the actions. May import ``assistant.text`` and
``assistant.fingerprint``; never channels, stores or server code.
"""
