"""spaCy's tokens and lemmas, without tokens that are only punctuation.

Nearly every FAQ training question ends in "?" and most greetings and thanks
do not, so with "?" as a token of its own the classifiers learnt that a
question mark means "FAQ": "what can you do?" was taken for a FAQ question
although "what can you do" is a training example of `help`. Dropping
punctuation-only tokens removes that shortcut; words keep their lemmas.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

from assistant.fingerprint import CodeFingerprint


def words_only(tokens: list[Token]) -> list[Token]:
    """The tokens with a letter or digit in them, or all of them if none has."""
    words = [token for token in tokens if any(ch.isalnum() for ch in token.text)]
    return words or tokens


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class SpacyWordTokenizer(CodeFingerprint, SpacyTokenizer):
    """SpacyTokenizer that leaves out punctuation-only tokens."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenize with spaCy, then drop punctuation-only tokens."""
        return words_only(super().tokenize(message, attribute))
