"""The Rasa server's side of the pelvic girdle pain assistant.

Laid out as Rasa's own tree is (``rasa/nlu``, ``rasa/core/policies``,
``rasa/core/channels``); the path of one message through them is drawn in
docs/architecture.md.

- ``config/``: what the server is told: endpoints.yml, credentials.yml, the
  environment, the run-time settings, the secrets.
- ``text/``: pure functions over what she writes (language, negation, red
  flags, symptom reports, her situation). No Rasa imports.
- ``nlu/``: the NLU pipeline's graph components (config.yml ``pipeline:``).
- ``policies/``: the dialogue policies (config.yml ``policies:``).
- ``nlg/``: Rasa's response generator (endpoints.yml ``nlg:``), which also
  builds the referral summary and the ask-back's buttons.
- ``server/``: every change to Rasa's own behaviour (``rasa_patches.py``), the
  plumbing it installs, and the launcher.
- ``stores/``: the tracker and lock stores (endpoints.yml), retention and
  erasure.
- ``channels/``: the input channels (credentials.yml): REST, socket.io, the
  web widget, the messaging platforms.
- ``fingerprint.py``: Rasa's training cache, told about the code a component
  runs.

Who may import whom (``tests/unit/test_architecture.py`` checks it, inside
functions too): a package imports only packages of lower layers, bottom
first: ``config``, ``text`` and ``fingerprint``; ``nlu``, ``policies`` and
``nlg``;
``server``; ``stores`` (the tracker store installs the server's patches in a
plain ``rasa run``); ``channels``. The action server (``actions/``,
``scripts/action_server.py``) never imports ``assistant``; what both
processes know is in ``knowledge/``.
"""
