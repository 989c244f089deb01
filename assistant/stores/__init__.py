"""Where conversations and their locks are kept, named in endpoints.yml.

``tracker_store`` (Rasa's SQL store with a cache that is right under any
routing; the server's ``StrictTrackerStore`` around it lets no database
error fall back to memory), ``lock_store`` (in memory, or Redis with atomic
lock changes), ``retention`` (erasure of one conversation and of old ones:
``make forget``, ``make purge``), ``retention_schedule`` (the server's own
purge at start and every hour, whatever its channels) and ``log_privacy``
(what a store's errors may say in the log). The reader of endpoints.yml and
its ``"${NAME:-default}"`` settings is ``assistant/config/``.
"""
