"""Custom actions of the pelvic girdle pain assistant, run by `rasa run actions`."""
