"""Messaging platforms' channels: each Rasa's channel with the platform's checks.

Each channel is switched on by its environment variables (``switch.py``,
``credentials.yml``) and names its conversations ``<channel>:<platform id>``
(``senders.py``).
"""
