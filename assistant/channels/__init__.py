"""Input channels, named in credentials.yml, and what they send back.

``rest`` (Rasa's REST channel refusing malformed requests with 400),
``socketio`` (Rasa's, with the RasaHQ/rasa#13027 fix and sessions bound to a
token), ``callback`` (Rasa's, a widget conversation only with its token),
``web_widget`` (the widget's files, demo page, history and erasure) with
``widget_auth`` (its session tokens and the operators' token),
``reply_metadata`` (urgent replies and FAQ answers marked for the client),
``service_errors`` (a failed database or lock store as a clear HTTP 503) and
``exact_paths`` (each route served on its own path only). May import
``stores`` and ``server``; nothing in ``nlu`` or ``policies`` imports a
channel.
"""
