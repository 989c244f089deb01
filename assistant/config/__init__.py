"""What the server is told: configuration files, the environment and secrets.

- ``environment.py``: ``"${NAME:-default}"`` expanded from the environment.
- ``endpoints.py``: endpoints.yml read that way, for Rasa (the reader the
  launcher installs), the stores and the operator commands.
- ``credentials.py``: credentials.yml read that way, and which channels are
  switched on.
- ``server_settings.py``: the run-time settings (origins, API, admission
  places, action time limit, request size).
- ``retention_setting.py``: ``RETENTION_DAYS``.
- ``secrets.py``: the widget's signing key and the operators' token.

The bottom of ``assistant/``: it imports nothing of the project, so every
other package may read it (tests/unit/test_architecture.py).
"""
