"""Where conversations and their locks are kept, named in endpoints.yml.

``tracker_store`` (Rasa's SQL store with a cache that is right under any
routing, and no silent fallback to memory), ``lock_store`` (in memory, or
Redis with atomic lock changes), ``endpoints`` (the one reader of
endpoints.yml, for the server, the stores and the operator commands),
``environment`` (``"${NAME:-default}"`` settings), ``retention`` (erasure of
one conversation and of old ones: ``make forget``, ``make purge``) and
``retention_schedule`` (the server's own purge at start and every hour,
whatever its channels).
"""
