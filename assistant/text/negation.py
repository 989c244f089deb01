"""Does the message deny what it names? "ingen blødning", "I haven't fallen".

A small, explainable rule instead of a parser, tuned to how people answer
"do you have bleeding, fever, …?":

- A negation word ("ingen", "ikke", "uden", "no", "not", "without",
  "haven't" …) up to ``WINDOW`` words *before* the sign, in the same clause,
  denies it: "nej, ingen blødning eller feber" denies both.
- Danish puts "ikke" after the verb: "jeg bløder ikke", "feber har jeg ikke":
  "ikke" up to three words *after* the sign, before a comma or "og", denies it.
- A clause ends at . ; : ! ?, at "men"/"but", "kun"/"only", at a comma or "og"/
  "and" that starts a new statement ("ingen blødning, men feber" affirms the
  fever), and at "om"/"if"/"whether" ("ved ikke om jeg bløder" is no denial).
- Only a negation that works like a determiner ("ingen", "no", "uden",
  "without", "hverken"/"neither" …) reaches across commas into a list ("ingen
  blødning, feber eller veer"); "ikke"/"not"/"-n't" stop at a comma ("kan ikke
  få ringene af, fingrene er hævede" affirms the swelling).
- Hedges are not denials: "not sure", "ikke sikker", "don't think", "ved ikke",
  "not much", "ikke meget". When in doubt, the sign counts as affirmed: a
  missed red flag costs more than an unneeded urgent reply.
- "nej"/"no" on its own is an answer, not a negation of what follows:
  "nej, jeg bløder" and "no I'm bleeding" affirm the bleeding; after the sign
  it denies it: "feber? nej".
- A negation inside the words that name the sign denies it ("maven bliver
  ikke hård", "waters haven't gone"), unless the sign itself is said with a
  negation ("kan ikke holde på vandet"): ``negated_inside`` is for the former.

Each judgement reads only the words around the sign: the look-back is the
last ``WINDOW`` + 1 words before it (found in a window that grows from a few
hundred characters until it holds them), the look-ahead the next ``_AFTER``
words. Nothing is re-read from the start of the message, so judging every
sign of a message takes time linear in its length (a message of 200,000
characters of "ikke blødning. " took minutes when each sign re-read the text
before it).
"""

from __future__ import annotations

import re

WINDOW = 7  # words between a negation and the sign it denies
_AFTER = 3  # words after the sign in which Danish "ikke" denies it

_NEGATIONS = frozenset(
    "ingen intet ikke aldrig uden hverken ingenting "
    "no not none never without neither nor nothing cannot".split()
)
_CONTRACTED_WORDS = frozenset(
    "havent hasnt hadnt dont doesnt didnt isnt arent wasnt werent cant couldnt "
    "wont wouldnt shouldnt aint".split()
)
# a negation followed by one of these is a hedge or a measure, not a denial
_HEDGES = frozenset(
    "sure certain know knowing think tell sikker sikre tror ved "
    "much many very that meget så saa særlig saerlig ret helt only kun "
    "just bare".split()
)
# "no" as an answer: followed by a new statement rather than a noun
_STATEMENT_STARTS = frozenset(
    "i i'm im my me the it it's its she we there there's but and "
    "jeg min mit mine det der den men og barnet babyen".split()
)
_POST_NEGATIONS = frozenset({"ikke", "aldrig", "not"})
# negations that deny every item of a list: "ingen blødning, feber eller veer"
_LIST_NEGATIONS = frozenset(
    "ingen intet uden hverken ingenting no none without neither nor nothing".split()
)
_CLAUSE_END = re.compile(
    r"[.;:!?\n]"
    r"|\b(men|but|though|although|however|except|bortset|selvom|dog|kun|only|just"
    r"|bare|om|if|whether|fordi|because|since)\b"
    r"|(,|\b(og|and|plus|samt))\s+(?=(jeg|i|i'm|im|i've|ive|my|min|mit|mine|har|have"
    r"|has|had|got|er|am|is|was|barnet|babyen|the|it|det|der|there|hun|she)\b)"
)
_WORD = re.compile(r"[\w']+")


def _is_negation(words: list[str], index: int) -> bool:
    word = words[index]
    if not (word in _NEGATIONS or word in _CONTRACTED_WORDS or word.endswith("n't")):
        return False
    following = words[index + 1] if index + 1 < len(words) else ""
    if following in _HEDGES:
        return False
    if word == "ikke" and index > 0 and words[index - 1] in ("ved", "tror"):
        return False  # "ved ikke" / "tror ikke": I don't know / don't think
    if word == "no" and (following in _STATEMENT_STARTS or not following):
        return False
    return True


_LOOK_BACK_CHARACTERS = 256  # the first window; doubled while too few words


def _look_back_start(text: str, start: int) -> int:
    """Where the last ``WINDOW`` + 1 whole words before ``start`` begin (or 0).

    The clause the rule needs is at most those words: its last ``WINDOW``
    words, and whether a clause end or a comma falls among them. A clause end
    just before the first of them ends where that word starts, so cutting
    there reads the same clause.
    """
    wanted = WINDOW + 1
    size = _LOOK_BACK_CHARACTERS
    while True:
        begin = max(0, start - size)
        words = [m.start() for m in _WORD.finditer(text, begin, start)]
        # with one more word than wanted, the first (perhaps cut) is left out
        if begin == 0 or len(words) > wanted:
            return begin if len(words) <= wanted else words[-wanted]
        size *= 2


def _clause_before(text: str, start: int) -> str:
    before = text[_look_back_start(text, start) : start]
    ends = list(_CLAUSE_END.finditer(before))
    return before[ends[-1].end() :] if ends else before


# a relative clause says something else: "hovedpine, der ikke går væk"
_CLAUSE_AFTER_END = re.compile(r"[,.;:!?\n]|\b(og|and|men|but|der|som|that|which)\b")


def _words_after(text: str, end: int) -> list[str]:
    """The first ``_AFTER`` words after ``end``, in its clause."""
    found: list[re.Match[str]] = []
    for match in _WORD.finditer(text, end):
        found.append(match)
        if len(found) == _AFTER:
            break
    limit = found[-1].end() if found else len(text)
    stop = _CLAUSE_AFTER_END.search(text, end, limit)
    clause_end = stop.start() if stop else limit
    return _WORD.findall(text, end, clause_end)


_ANSWERED_NO = re.compile(r"\s*[?:\-–—]+\s*(nej|no|nope|ingen|none)\b")


def negated_inside(text: str, span: tuple[int, int]) -> bool:
    """True when a negation stands among the words that name the sign."""
    words = _WORD.findall(text[span[0] : span[1]])
    return any(_is_negation(words, i) for i in range(1, len(words)))


def is_negated(text: str, span: tuple[int, int]) -> bool:
    """True when ``text`` (lower-case) denies what it names at ``span``."""
    clause = _clause_before(text, span[0])
    last_comma = clause.rfind(",")
    before = _WORD.findall(clause)[-WINDOW:]
    words = before + _WORD.findall(text[span[0] : span[1]])  # the sign follows
    # how many of the words before the sign come after the clause's last comma
    after_comma = (
        len(_WORD.findall(clause[last_comma:])) if last_comma >= 0 else len(before)
    )
    for i in range(len(before)):
        across_comma = i < len(before) - after_comma
        if _is_negation(words, i) and (not across_comma or words[i] in _LIST_NEGATIONS):
            return True
    if _ANSWERED_NO.match(text, span[1]):
        return True
    after = _words_after(text, span[1])
    for i, word in enumerate(after):
        if word in _POST_NEGATIONS:
            following = after[i + 1] if i + 1 < len(after) else ""
            return following not in _HEDGES
    return False
