"""Every change this project makes to Rasa's own behaviour, and what it installs.

``rasa_patches`` is the one module that assigns to Rasa: it lists each
patched function, why, and the Rasa version it was written against, and
installs them when the server starts (``install_at_start``), with the
run-time settings of ``server_settings`` read from the environment. The
behaviour lives beside it: ``action_safety_net`` (a reply even when the
action server fails), ``action_secret`` (the action server's shared secret,
Rasa's side), ``action_response_check`` (the response schema check built
once), ``admission`` (a few messages at a time, in arrival order) and
``user_input`` (what a message may be). ``launch`` starts Rasa's command
line the project's way (the endpoints reader installed, endpoints.yml
checked, the options of ``server_settings`` added in-process: CORS and the
API token; the patches installed).
"""
