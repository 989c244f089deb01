"""Input channels, named in credentials.yml, and what they send back.

``rest`` (Rasa's REST channel refusing malformed requests with 400),
``socketio`` (Rasa's, with the RasaHQ/rasa#13027 fix and sessions bound to a
token), ``callback`` (Rasa's, a widget conversation only with its token),
``web_widget`` (the widget's files and demo page, and its routes put
together) with ``widget_auth`` (its session tokens and the operators'
token), ``widget_transcript`` (what its history shows), ``erasure`` (one
erase for the widget's button, "slet" and ``make forget``) and
``widget_operator`` (the operators' routes), ``messaging/`` (the messaging
platforms),
``reply_metadata`` (urgent replies and FAQ answers marked for the client),
``service_errors`` (a failed database or lock store as a clear HTTP 503) and
``exact_paths`` (each route served on its own path only). The top layer:
may import every other package of ``assistant`` (tests/unit/test_architecture.py),
and none imports a channel.
"""
