"""The dialogue policies: the one that predicts, and those that set slots.

``rule_policy`` predicts every action: Rasa's RulePolicy, matching the last
turns its rules can see (``recent_states``) instead of replaying the whole
conversation on every prediction; ``tracker_history`` works a tracker's
applied events and copies out once per event (installed into Rasa by
``assistant/server/rasa_patches.py``). ``silent_policy`` (the base of those
that never predict: lowest priority, all probabilities zero),
``language_policy`` (the ``language`` slot), ``situation_policy`` (the
``care_situation`` slot) and ``urgency_policy`` (the ``urgency`` slot) only
attach slot events. May import ``assistant.text`` and
``assistant.fingerprint``; never channels, stores or server code.
"""
