"""`make bench`: how fast the bot answers and what it costs, against a peer."""
