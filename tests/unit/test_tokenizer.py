"""Punctuation-only tokens are left out, words keep their lemmas."""

from rasa.nlu.tokenizers.tokenizer import Token

from assistant.nlu.tokenizer import words_only


def _tokens(*texts):
    return [Token(text, index, lemma=text.lower()) for index, text in enumerate(texts)]


def test_question_marks_and_commas_are_dropped():
    tokens = words_only(_tokens("what", "can", "you", "do", "?", ",", "7/10"))
    assert [token.text for token in tokens] == ["what", "can", "you", "do", "7/10"]


def test_a_message_of_only_punctuation_or_emoji_keeps_its_tokens():
    assert [token.text for token in words_only(_tokens("?", "!"))] == ["?", "!"]
    assert [token.text for token in words_only(_tokens("😭"))] == ["😭"]


def test_danish_letters_count_as_letters():
    assert [token.text for token in words_only(_tokens("ø", "-"))] == ["ø"]
