"""Rasa-server-side code of the pelvic girdle pain assistant.

Pure decisions (language detection) live in plain modules; the Rasa graph
components that use them are thin wrappers in their own modules.
"""
