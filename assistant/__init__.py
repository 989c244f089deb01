"""The Rasa server's side of the pelvic girdle pain assistant.

Laid out as Rasa's own tree is (``rasa/nlu``, ``rasa/core/policies``,
``rasa/core/channels``); the path of one message through them is drawn in
docs/architecture.md.

- ``text/``: pure functions over what she writes (language, negation, red
  flags, symptom reports, her situation). No Rasa imports.
- ``nlu/``: the NLU pipeline's graph components (config.yml ``pipeline:``).
- ``policies/``: the dialogue policies (config.yml ``policies:``).
- ``channels/``: the input channels (credentials.yml): REST, socket.io and the
  web widget.
- ``stores/``: the tracker and lock stores (endpoints.yml) and erasure.
- ``server/``: every change to Rasa's own behaviour (``rasa_patches.py``) and
  the plumbing it installs.
- ``fingerprint.py``: Rasa's training cache, told about the code a component
  runs.

Who may import whom (``tests/unit/test_architecture.py`` checks it):
``text`` imports nothing of the project; ``nlu`` and ``policies`` import only
``text`` and ``fingerprint`` (and their own package); ``channels``, ``stores``
and ``server`` may import anything here. The action server (``actions/``,
``scripts/action_server.py``) never imports ``assistant``.
"""
