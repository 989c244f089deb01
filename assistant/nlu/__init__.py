"""The NLU pipeline's graph components, in the order config.yml runs them.

``spacy_pipeline`` (Rasa's SpacyNLP with the pipeline's files in its cache
key), ``tokenizer`` (spaCy words without punctuation), ``linear_classifier``
with ``linear_model`` (intent and FAQ topic in one logistic regression;
``intents`` holds the shared message edits), then the gates that may change
the classifier's verdict: ``red_flag_gate``, ``symptom_report_gate``,
``faq_gate``. May import ``assistant.text`` and ``assistant.fingerprint``;
never channels, stores or server code.
"""
