"""Project scripts: spaCy pipeline builder, validation check."""
