"""Red flags: messages that must get the urgent advice whatever the classifier says.

A missed red flag (bleeding, a fall on the belly, the baby moving less …) does
far more harm than an unneeded "contact the maternity unit now", so these are
recognised by plain patterns as well as by the trained ``urgent`` intent. The
flags themselves, and the words the bot uses for them, are listed once in
data/triage/red_flags.yml; here is one detector per flag.

A sign she says she does *not* have is no red flag: "nej, ingen blødning eller
feber" and "no bleeding, the baby moves fine" are the commonest answers to the
red-flag question (``assistant.text.negation`` judges that). The patterns err on the
side of caution otherwise, and are tested against every FAQ training question,
none of which may trip them.

Bleeding after the birth is normal for up to about six weeks, so a message
that says she gave birth then (``assistant.text.situation``) and bleeds, not
heavily, names no flag; heavy bleeding is ``heavy_bleeding`` at any time, and
then it is not also ``bleeding``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.text.negation import is_negated, negated_inside
from assistant.text.situation import says_she_gave_birth, weeks_since_birth
from knowledge.care_situations import EARLY_AFTER_BIRTH_WEEKS

# the patterns are written in lower case and matched against the lowered
# message (``read_red_flags``): case-sensitive matching took about half the
# time of re.IGNORECASE over the same patterns (118 -> 64 us for one message
# against all of them); a test keeps every pattern in lower case
_FLAGS = 0
AE, OE, AA = "(æ|ae|a)", "(ø|oe|o)", "(å|aa|a)"  # Danish typed without æ/ø/å


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


class _Matches:
    """Where a pattern matches a text, found once, to ask of many spans."""

    def __init__(self, pattern: re.Pattern[str] | None, text: str) -> None:
        found = [m.span() for m in pattern.finditer(text)] if pattern else []
        self._starts = [start for start, _ in found]
        self._ends = [end for _, end in found]

    def overlap(self, span: tuple[int, int]) -> bool:
        """True when a match overlaps ``span``.

        The matches do not overlap one another, so their ends are in order
        too: only the first ending after the span's start can reach into it.
        """
        first = bisect.bisect_right(self._ends, span[0])
        return first < len(self._starts) and self._starts[first] < span[1]


@dataclass(frozen=True)
class Detector:
    """How one red flag is recognised.

    ``sign`` names the sign itself; negation is judged around each of its
    matches. Every pattern in ``context`` must also occur somewhere in the
    message ("a fall" counts only with "the belly"). A match of
    ``reassurance`` that overlaps the sign says it is absent ("not noticed
    less movement"). ``said_with_negation``: the sign itself is named with a
    negation ("can't pass urine"), so one inside its words does not deny it.
    A match of ``unless`` that overlaps the sign says the words mean something
    else, neither the sign nor its denial ("krampe i læggen" is no seizure).
    """

    sign: re.Pattern[str]
    context: tuple[re.Pattern[str], ...] = ()
    reassurance: re.Pattern[str] | None = None
    said_with_negation: bool = False
    unless: re.Pattern[str] | None = None

    def signs(self, text: str) -> Iterator[tuple[int, int]]:
        """Where the message names the sign, if its context is there too.

        The sign is looked for first: most messages name no sign at all, and
        then neither its context nor ``unless`` is read.
        """
        matches = list(self.sign.finditer(text))
        if not matches or not all(pattern.search(text) for pattern in self.context):
            return
        something_else = _Matches(self.unless, text)
        for match in matches:
            if not something_else.overlap(match.span()):
                yield match.span()

    def denials(self, text: str, spans: list[tuple[int, int]]) -> Iterator[bool]:
        """For each span (in order), whether the message denies the sign there.

        Each pattern is run over the text once, whatever the number of spans.
        """
        reassured = _Matches(self.reassurance, text)
        for span in spans:
            yield (
                reassured.overlap(span)
                or (not self.said_with_negation and negated_inside(text, span))
                or is_negated(text, span)
            )

    def denied(self, text: str, span: tuple[int, int]) -> bool:
        """True when the message denies the sign it names at ``span``."""
        return next(self.denials(text, [span]))


_BLEEDING = _any(
    rf"\bbl{OE}d(er|te|ning|ninger)\b",
    rf"\bpletbl{OE}d",
    r"\bbleed(s|ing)?\b",
    r"\bbled\b",
    r"\bspotting\b",
    r"\bblod(et|ig\w*)?\b",
    r"\bblood(y)?\b(?! (pressure|test|tests|sugar|type|group|clot))",
)
_WATERS = _any(
    rf"\bvandet\b.{{0,20}}\b(er |er lige |lige )?(g{AA}et|sprunget|r{AE}kket|g{AA}r)\b",
    rf"\bvand(et)? (er )?(g{AA}et|sprunget)\b",
    r"\bvandet\b.{0,10}\bgik\b",
    r"\bvandafgang\w*",
    r"\bfostervand\w*",
    rf"\b(siver|l{OE}ber|drypper|pibler|fosser|kommer)\b.{{0,15}}\b(vand|v{AE}ske)\b",
    rf"\b(vand|v{AE}ske)\b.{{0,15}}\b(siver|l{OE}ber|drypper|pibler|fosser)\b",
    r"\bwaters?\b.{0,15}\b(broke|broken|break|breaking|gone|went)\b",
    r"\b(leak|leaking|leaked|trickl\w*|gush\w*)\b.{0,25}\b(fluid|water|liquid)\b",
    r"\bamniotic\b",
    r"\bwater (has |just )?(broke|broken)\b",
    rf"\b(soaked|drenched|gennemv{AA}d\w*|plask\w*|splash\w*)\b",
)
_FEVER = _any(
    r"\bfeber\w*",
    r"\bfever(ish)?\b",
    rf"\bh{OE}j temperatur",
    r"\bhigh temp",
    r"\btemp(eratur|erature)?\b.{0,12}\b(3[89]|4[0-2])\b",
    r"\b(3[89]|4[0-2])([,.]\d)? ?(grader|°)",
    r"\b(3[89]|4[0-2])[,.]\d\b(?! ?(uge|week|wk|w\b))",
    r"\b(har|have|has|got|running) (a )?temp(eratur|erature)?\b",
    r"\bkulderyst\w*",
    r"\b(chills|shivering|shivery|rigors)\b",
)
_CONTRACTIONS = _any(
    r"\bve(er|erne)\b",
    r"\bstrammer sig\b",
    rf"\bmaven\b.{{0,15}}\bh{AA}rd\b",
    r"\b(tummy|belly|bump|stomach)\b.{0,20}\b(going|goes|gets|getting|go) "
    r"(rock |really |very )?hard\b",
    r"\b(plukve\w*|braxton hicks)\b.{0,40}\b(regelm\w*|regular\w*)",
    rf"\b(plukve\w*|braxton hicks)\b.{{0,40}}\b(anymore|l{AE}ngere)",
    rf"sammentr{AE}kninger\b",
    rf"\bmaven\b.{{0,15}}\bsp{AE}nder\b",
    r"\b(hvert|hver|every) \d+\.? ?(min|minut)",
    r"\bmed \d+ minutters mellemrum\b",
    rf"\bf{OE}dslen\b.{{0,10}}\b(g{AA}et|ved at g{AA}|startet) i gang\b",
    r"\bcontractions?\b",
    r"\btightenings?\b",
    rf"\b(faste|j{AE}vne|regelm{AE}ssige) mellemrum\b",
    rf"\btr{AE}kker sig sammen\b",
    r"\bevery (few|couple of) minutes\b",
    r"\blike clockwork\b",
    r"\bregular(ly)?\b.{0,20}\b(pains?|cramps?|tighten\w*)",
    r"\bpre-?term\b",
    r"\b(premature|early) lab(ou)?r\b",
    rf"\bf{OE}dsl\w*.{{0,25}}\bfor tidligt\b",
    rf"\bfor tidlig f{OE}dsel\b",
)
_BABY = _any(
    r"\bbab(y|yen|ies)\b",
    r"\b(hende|ham|hun|han|she|he|him|her|she's|he's)\b",
    r"\b(reduced|decreased|fewer|less) (fetal |baby'?s? )?movements\b",
    rf"\b(f{AE}rre|nedsatte|mindre) (foster)?bev{AE}gelser\b",
    r"\bbarnet\b",
    r"\bden lille\b",
    r"\bbump\b",
    r"\bliv(et)?\b",
    r"\bspark(er|et|ene)?\b",
    r"\bkick(s|ing|ed)?\b",
    r"\bfoster",
    r"\bfetal\b",
    r"\bbub\b",
)
_MOVES_DA = rf"(bev{AE}g\w*|spark\w*|r{OE}r\w*)"
_MOVES_EN = r"(mov\w*|kick\w*|felt|feel\w*)"
_GAP = r"[^,.;:!?]{0,25}"  # a few words, within one clause
_NEAR = r"(?:\w+ ){0,2}"  # at most two words between
_LESS_MOVEMENT = _any(
    rf"\b(mindre|f{AE}rre|n{AE}sten ikke|knap|n{AE}sten ingen)\b{_GAP}"
    rf"\b({_MOVES_DA}|m{AE}rke\w*)",
    rf"\b(ikke|ingen|intet)\b {_NEAR}({_MOVES_DA}|m{AE}rke\w*)",
    rf"\b{_MOVES_DA}\b[^,.;:!?]{{0,15}}\b(mindre|ikke|stille)\b",
    rf"\b(less|fewer|reduced|barely|hardly|stopped)\b{_GAP}\b{_MOVES_EN}\b",
    rf"\b(no|not|hasn'?t|haven'?t|isn'?t|hasnt|havent|isnt)\b {_NEAR}{_MOVES_EN}\b",
    rf"\b(mov\w*|kick\w*|movements?)\b{_GAP}\b(less|fewer|reduced|stopped|anymore)\b",
    r"\bcan'?t feel\b.{0,25}\b(mov\w*|kick\w*)",
    rf"\b(v{AE}ret|er) (helt |meget )?stille\b",
    r"\b(really |very |so )?quiet(er)?\b",
    r"\bgone (really |very |so )?still\b",
    r"\b(ikke noget|intet|ingen) liv\b",
    r"\b(not|less|ikke) (as|så|saa|nær så|naer saa) (active|aktiv)\b",
)
# "not noticed less movement", "no reduced movements": the sign is absent
_MOVES_NORMALLY = _any(
    rf"\b(ikke|ingen|not|no|haven'?t|hasn'?t|never)\b.{{0,20}}"
    rf"\b(mindre|f{AE}rre|nedsat\w*|less|fewer|reduced)\b",
)
_BELLY = _any(
    r"\bmave(n|pine)?\b",
    r"\b(on|onto) my front\b",
    r"\bbelly\b",
    r"\bbump\b",
    r"\bstomach\b",
    r"\btummy\b",
    r"\babdom\w*",
    r"\bunderliv\w*",
    r"\bmavesmert\w*",
)
_FALL_OR_BLOW = _any(
    r"\bfald(et|t)?\b",
    rf"\bv{AE}lte(de|t)\b",
    r"\b(sparkede|slog|ramte|sprang op)\b",
    r"\bsnublede\b",
    r"\bgled\b",
    r"\bslag\b",
    r"\bsparket\b",
    r"\bramt\b",
    r"\bstanget\b",
    r"\b(fell|fallen|fall|slipped|tripped)\b",
    r"\b(hit|kicked|punched|blow|bumped|headbutted|jumped on)\b",
)
_ACCIDENT = _any(
    r"\b(trafik|bil|cykel)(uheld|ulykke)\b",
    rf"\bp{AA}k{OE}rt\b",
    r"\b(hit|knocked (down|over)) by a (car|bike|bicycle|cyclist|bus|truck|van)\b",
    r"\b(car|traffic|bike|road) (accident|crash)\b",
    r"\bcrash(ed)?\b",
    r"\b(bad|hard|nasty|big) fall\b",
    rf"\b(fell|fallen|falling|faldt|faldet|v{AE}ltede|snublede)\b.{{0,20}}"
    r"\b(down|ned ad|ned af) (the )?(stairs|trappen)",
)
_SEVERE_OR_SUDDEN = _any(
    r"\bpludselig\w*",
    r"\bvoldsom\w*",
    rf"\bst{AE}rke?\b",
    r"\bfrygtelig\w*",
    r"\bsudden\w*",
    r"\bsevere\b",
    r"\bterrible\b",
    r"\bunbearable\b",
    r"\bexcruciating\b",
    r"\bsharp\b",
    r"\bskarp\w*",
    r"\bakut\w*",
    r"\bout of nowhere\b",
    r"\breally bad\b",
    r"\bso (bad|much)\b",
    rf"\bud af det bl{AA}\b",
    r"\bagon(y|ising|izing)\b",
    r"\bdoubled over\b",
    r"\bkrummer mig\b",
    r"\bkan ikke rette mig op\b",
)
_PAIN = _any(
    r"\bondt\b",
    rf"\b(mave|underlivs)sm(e|{AE})rt\w*",
    r"\bagon(y|ising|izing)\b",
    r"\bsm(e|æ|ae)rt\w*",
    r"\bpain\w*",
    r"\bache\w*",
    r"\bcramp\w*",
    r"\bhurts?\b",
    r"\bpine\b",
    r"\bmavepine\b",
)
_HEADACHE = _any(
    rf"\b(slem|slemme|voldsom|voldsomme|sv{AE}r|sv{AE}re|st{AE}rk|st{AE}rke|kraftig"
    rf"|kraftige|frygtelig|vanvittig|sindssyg|dunkende|hamrende|forf{AE}rdelig)\w*"
    rf" hovedpine\b",
    rf"\bhovedpinen?\b.{{0,40}}\b(g{AA}r ikke v{AE}k|ikke g{AA}r v{AE}k"
    rf"|vil ikke g{AA} v{AE}k"
    rf"|forsvinder ikke|v{AE}rste|voldsom|slem|hjælper ikke|hjaelper ikke)",
    rf"\b(meget|s{AA}|vildt|sindssygt|mega) ondt i hovedet\b",
    r"\bhovedet (dunker|hamrer|spr(æ|ae|a)nger|eksploderer)",
    r"\bhead\w*\b.{0,10}\b(banging|pounding|splitting|throbbing|exploding)",
    r"\b(severe|bad|terrible|awful|splitting|pounding|throbbing|blinding|worst"
    r"|intense|excruciating|massive|horrible|crushing|killer) headache",
    r"\bheadache\b.{0,40}\b(won'?t|will not|doesn'?t|does not) (go|ease|shift|stop)",
    r"\bheadache\b.{0,40}\b(paracetamol|painkillers?) (isn'?t|aren'?t|doesn'?t|don'?t)",
    r"\bhovedpine\w*\b.{0,20}\b(flere dage|i \d+ dage|i dagevis|hele dagen|i to dage)",
    r"\bheadache\b.{0,20}\b(for (two|three|\d+|several) days|all day|for days)",
)
_VISION = _any(
    r"\bflimre\w*",
    rf"\bsl{OE}re(t|de)? syn\w*",
    r"\buskarpt syn\w*",
    r"\bsynsforstyrrelse\w*",
    r"\blysglimt\w*",
    rf"\bser (stjerner|lysglimt|prikker|pletter|dobbelt|sort|lyn|sl{OE}ret|uskarpt)",
    rf"\b(prikker|pletter|stjerner|lyn|glimt) for {OE}jnene\b",
    r"\bkan ikke se (ordentligt|klart|tydeligt|skarpt)",
    rf"\bsynet\b.{{0,15}}\b(sl{OE}ret|uskarpt|m{AE}rkeligt|forsvinder)",
    r"\bblurr(y|ed)\b.{0,10}\b(vision|sight|eyes)\b",
    r"\bvision\b.{0,20}\b(blurr\w*|fuzzy|funny|strange|weird|going|spotty)",
    r"\bseeing (flashes|spots|stars|sparkles|flashing|double|zig)",
    r"\bflash(es|ing)? (of )?lights?\b",
    r"\bspots (in|before|in front of) my eyes\b",
    r"\bzig-?zag",
    r"\bcan'?t see (properly|clearly|straight|well)\b",
    r"\bvisual disturbance",
    r"\bflicker\w*",
    rf"\b(sortner|sort for {OE}jnene)",
)
_RIB = r"(ribben\w*|ribbensbue\w*|ribs?|rib cage|ribcage)"
_PAIN_UNDER_RIBS = _any(
    rf"\b(under|ved|neden for|nedenfor|below|beneath) (de |mine |min |the |my )?"
    rf"(h{OE}jre |right )?{_RIB}",
    rf"\bh{OE}jre ribben\w*",
    rf"\bright(-| )?(hand )?side\b.{{0,25}}\b{_RIB}",
    rf"\b{_RIB}\b.{{0,25}}\bright(-| )?(hand )?side\b",
    rf"\b(upper right|right upper|top right|{OE}verst til h{OE}jre"
    rf"|{OE}verste h{OE}jre)\b"
    rf".{{0,25}}\b(mave\w*|belly|tummy|abdomen|stomach|side)",
    r"\bunder brystbenet\b",
    r"\b(under|below) (my|the) (breastbone|sternum)\b",
)
_FACE_OR_HANDS = (
    rf"(ansigt\w*|h{AE}nder(ne)?|h{AE}nd\w*|fingre\w*|{OE}jne\w*|{OE}jenl\w*"
    r"|face|hands?|fingers?|eyes|eyelids)"
)
_SWELLING_WORD = (
    rf"(h{AE}vet|h{AE}vede|h{AE}ver|h{AE}velse\w*|opsvulmet|svulmet|oppustet"
    r"|tykke|swollen|swelling|swelled|swell|puffy|puffed)"
)
_SUDDEN_SWELLING = _any(
    rf"\b{_FACE_OR_HANDS}\b.{{0,25}}\b{_SWELLING_WORD}\b",
    rf"\b{_SWELLING_WORD}\b.{{0,25}}\b{_FACE_OR_HANDS}\b",
    rf"\b(pludselig\w*|sudden\w*|hurtigt|quickly|overnight|natten over)\b"
    rf".{{0,15}}\b{_SWELLING_WORD}",
    r"\bcan'?t get my rings? off\b",
    r"\bringen?e? (sidder fast|kan ikke komme af)\b",
    r"\brings? (don'?t|won'?t|doesn'?t) fit\b",
    r"\bringen?e? passer ikke\b",
    rf"\bkan ikke (f{AA} )?ring\w* af\b",
    rf"\b(ansigt\w*|{OE}jne\w*)\b.{{0,15}}\bhoven\w*",
)
_ONE_LEG = (
    rf"((det ene|ene|h{OE}jre|venstre) ben(et)?|benet|l{AA}ret"
    r"|(one|left|right|my|the) (lower |upper )?leg|leg|thigh)"
)
_CALF_SIGN = (
    rf"(h{AE}vet|h{AE}vede|h{AE}ver|varm|varmt|r{OE}d|r{OE}dt|(ø|oe)mt?|ondt"
    rf"|smert\w*|h{AA}rd|swollen|swelling|swelled|warm|hot|red|tender|painful|pain|hurts?"
    r"|sore|aching|aches|throbbing)"
)
_LEG_SIGN = (
    rf"(h{AE}vet|h{AE}vede|h{AE}ver|varm|varmt|r{OE}d|r{OE}dt|swollen|swelling|swelled"
    r"|warm|hot|red)"
)
# "læg" alone is also the verb "lie down": only "læggen", "min læg", "højre læg" …
_CALF_NOUN = (
    rf"(l{AE}ggen|l{AE}ggene|l{AE}gmusk\w*|\b(min|mine|den ene|ene|h{OE}jre"
    rf"|venstre|i|i den) l{AE}g(ge)?|calf|calves)"
)
_SWOLLEN_CALF = _any(
    rf"{_CALF_NOUN}\b.{{0,30}}\b{_CALF_SIGN}\b",
    rf"\b{_CALF_SIGN}\b.{{0,30}}{_CALF_NOUN}\b",
    # a whole leg: swollen, warm or red (pain alone in the leg is common in PGP)
    rf"\b{_ONE_LEG}\b.{{0,30}}\b{_LEG_SIGN}\b",
    rf"\b{_LEG_SIGN}\b.{{0,30}}\b{_ONE_LEG}\b",
)
_SHORT_OF_BREATH = _any(
    rf"\b{AA}ndenn?{OE}d\b",
    rf"\b(sv{AE}rt|problemer) (ved|med) at (tr{AE}kke vejret|f{AA} luft|{AA}nde)",
    rf"\bkan (n{AE}sten |knap )?ikke (f{AA} luft|tr{AE}kke vejret|{AA}nde)",
    rf"\b(f{AA}r|fik) (n{AE}sten |knap )?ikke (nok )?luft",
    r"\bmangler luft\b",
    rf"\bstak{AA}ndet\b",
    r"\bforpustet\b",
    r"\bshort(ness)? of breath\b",
    r"\bcan'?t (catch my |get my )?breath",
    r"\bcan'?t breathe\b",
    r"\b(struggling|hard|difficult|difficulty|trouble) (to |with )?breath\w*",
    r"\bbreathless\w*",
    r"\bout of breath\b",
    r"\bgasping\b",
    r"\bhiver efter (vejret|luft)\b",
    rf"\bkan (n{AE}sten |knap )?ikke (f{AA} )?vejret\b",
    r"\bbreathing\b.{0,15}\b(hard|difficult|laboured|labored|a struggle|tight)",
    r"\bcan'?t get (enough )?air\b",
)
_CHEST_PAIN = _any(
    r"\b(ondt|sm(e|æ|ae)rt\w*|trykken|stikken|stikker|jag|stik|tryk|klemmen) (i|for) "
    r"(brystet|brystkassen)\b",
    r"\bbrystsmert\w*",
    rf"\b(ondt|sm(e|{AE})rte\w*|tryk\w*|stik\w*)\b.{{0,12}}\bbrystet\b",
    r"\bpains?\b.{0,25}\bchest\b",
    r"\bbrystet\b.{0,20}\b(g(ø|oe|o)r ondt|strammer|trykker|sm(æ|ae|a)rter)",
    r"\bchest pains?\b",
    r"\bpains? in (my |the )?chest\b",
    r"\bchest\b.{0,15}\b(hurts|hurting|tight\w*|pressure|aches|aching|sore|pain)",
    r"\btight chest\b",
)
_SADDLE = (
    rf"(skridt\w*|lysk\w*|endetarm\w*|bag(en|del)\b|balde\w*|numse\w*|r{OE}v\w*"
    rf"|mellem (mine |mine to |de to )?ben(ene)?|sk{AE}ede\w*|sk{AE}den"
    r"|groin|crotch|between (my|the) legs|bottom|bum|buttocks?|backside|saddle"
    r"|genitals?"
    r"|vagina\w*|down there|perine\w*|anus|back passage)"
)
_NUMB = (
    rf"(f{OE}lelsesl{OE}s\w*|ingen f{OE}lelse|prik\w*|snurr\w*|d{OE}d\w*"
    r"|kan ikke m(æ|ae|a)rke|numb\w*|no feeling|can'?t feel|tingl\w*"
    r"|pins and needles|dead)"
)
_NUMBNESS = _any(
    rf"\b{_NUMB}\b.{{0,20}}\b{_SADDLE}\b",
    rf"\b{_SADDLE}\b.{{0,20}}\b{_NUMB}\b",
    rf"\bsover i {_SADDLE}\b",  # "det sover i skridtet": it has gone numb
    rf"\b{_SADDLE} sover\b",
)
_HEAVY_BLEEDING = _any(
    rf"\bbl{OE}(der|dt|dte|de)\b (rigtig |virkelig |ret |helt |s{AA} |pludselig "
    rf"|stadig |nu |lige nu )?(kraftigt|voldsomt|rigtig meget|meget|helt vildt"
    r"|vildt meget|enormt|massivt|som en stukket gris)\b",
    rf"\b(kraftig|kraftige|voldsom|voldsomme|stor|store|heftig|massiv|meget) "
    rf"bl{OE}dning\w*",
    rf"\bkraftigt bl{OE}dende\b",
    rf"\bgennembl{OE}d\w*\b.{{0,20}}\bbind\w*",
    rf"\bbind\w*\b.{{0,20}}\bgennembl{OE}d\w*",
    r"\bstore\b.{0,10}\b(blod)?klump\w*",
    r"\bklump\w* (af )?blod\b.{0,20}\b(store|stor)\b",
    r"\bbleed\w* (very |really |so |quite )?(heavily|a lot|loads|lots|badly)\b",
    r"\b(heavy|heavily|lots of|loads of|so much|a lot of) (vaginal )?"
    r"(bleeding|blood)\b",
    r"\bsoak\w* (through )?(a |my |the |one |\d+ )?(\w+ )?(pads?|sanitary towels?"
    r"|towels?)\b",
    r"\b(pads?|towels?)\b.{0,15}\bsoaked\b",
    r"\b(large|big|huge|massive|golf ?ball\w*|plum)\b.{0,10}\b(blood )?clots?\b",
    r"\bclots?\b.{0,15}\b(the size of|as big as|bigger than)\b",
    r"\b(ha)?emorrhag\w*",
    r"\b(gushing|pouring) (out )?blood\b",
    rf"\bblod(et)?\b.{{0,10}}\b(l{OE}ber|v{AE}lter|fosser|str{OE}mmer|spruter)\b.{{0,15}}"
    rf"\b(ned ad|ud|benene|benet)\b",
    r"\bblood\b.{0,20}\b(running|pouring|streaming) down my legs?\b",
    r"\bblood\b.{0,10}\b(gushing|pouring|pours|gushes)\b",
)
# "kramper" alone may be a seizure (eclampsia); cramps in the legs, the belly
# or with a period are something else, as is an English "cramp".
_SEIZURES = _any(
    r"\bkrampeanfald\w*",
    r"\bkramper(ne)?\b",
    r"\bkrampe(r|de)? i hele kroppen\b",
    r"\bkrampede\b",
    r"\bseizures?\b",
    # "a fit pregnancy", "fits of laughter" are none
    r"\b(had|having|has|have) (just )?(a |an |another |some )?fits?\b(?! of)",
    r"\bepileptic (fit|seizure|attack)s?\b",
    r"\bconvuls\w*",
    r"\b(started|was|is|she's|shes|he's|i was|been) fitting\b",
)
_LEG_OR_BELLY = (
    rf"(l{AE}g\w*|ben(et|ene)?|f{OE}d(der|derne)?|foden|t{AE}er(ne)?|l{AA}r(et|ene)?"
    rf"|mave(n)?|underliv(et)?|lyske(n)?|ryg(gen)?|arm(en|ene)?|h{AE}nd\w*|fingre\w*"
    rf"|nat(ten)?|natlige|om natten|muskl\w*|menstruation\w*|{AE}gl{OE}sning\w*)"
)
_NOT_A_SEIZURE = _any(
    rf"\bkramper(ne)? (i|om|ved|som|fra|nede i|oppe i) (de |mine |min |mit |den |det )?"
    rf"(\w+ )?{_LEG_OR_BELLY}",
    rf"\b{_LEG_OR_BELLY}\W+(\w+\W+){{0,3}}kramper(ne)?\b",
    r"\bkramper(ne)? (der )?(minder om|ligner) (menstruation|mens)\w*",
)
_FAINTING = _any(
    r"\bbesvim\w*",
    r"\bmist(et|ede|er)? bevidstheden\b",
    rf"\bbevidstl{OE}s\w*",
    r"\bgik ud som et lys\b",
    # she collapsed; "bækkenet kollapser" is pelvic girdle pain
    r"\b(jeg|hun|er|har|min kone|min k(æ|ae|a)reste) (lige )?kollaps\w*",
    r"\bfaint(ed|ing)\b",
    r"\bpass(ed|ing)? out\b",
    r"\bblack(ed|ing)? out\b",
    r"\bunconscious\b",
    r"\b(lost|losing|lose) consciousness\b",
    r"\b(i|she|i've|she's|has|have|wife|partner|girlfriend) (just )?collapsed\b",
    r"\bkeeled over\b",
)
_CANNOT = r"(can'?t|cant|cannot|can not|unable to|not able to|couldn'?t|couldnt)"
_CANNOT_PASS_URINE = _any(
    rf"\b(kan|kunne) (n{AE}sten |slet |pludselig |stadig )?ikke (komme af med"
    rf"|lade|f{AA} lade) vandet\b",
    rf"\b(kan|kunne) (n{AE}sten |slet |pludselig |stadig )?ikke (f{AA} )?tisse\b"
    rf"(?! (i|p{AA}) )",
    rf"\b(kan|kunne) (n{AE}sten |slet |pludselig |stadig )?ikke f{AA} tisset\b",
    rf"\b(kan|kunne) (n{AE}sten |slet |pludselig )?ikke t{OE}mme bl{AE}ren\b",
    r"\bhar ikke (kunnet )?tisse?t? (siden|i \d+|i flere|hele)\b",
    r"\bder kommer (ingenting|intet|ikke noget)\b.{0,25}\btisse",
    rf"\bvandladningsbesv{AE}r\w*|\burinretention\b",
    rf"\b{_CANNOT} (pee|wee|urinate|pass urine|pass water|empty my bladder|go for a "
    r"(wee|pee))\b(?! (in|on|into) )",
    r"\b(haven'?t|havent|have not) (peed|weed|urinated|passed urine|been able to "
    r"(pee|wee|urinate|pass urine))\b",
    r"\bnothing (comes|came|will come) out\b.{0,20}\b(pee|wee|urinate|toilet|loo)",
    r"\b(pee|wee|urinate|toilet|loo)\b.{0,30}\bnothing (comes|came|will come) out\b",
    r"\burinary retention\b",
)
# a bowel that does not obey; bladder leakage alone is common and no flag
_BOWEL = (
    rf"(aff{OE}ring\w*|tarm\w*|lort|pr{OE}mp\w*|b{AE}|h{AE}gt|bowels?|poo|poop|stool"
    r"|faeces|feces|back passage)"
)
_LOST_BOWEL_CONTROL = _any(
    rf"\b(kan|kunne) (n{AE}sten |slet |pludselig )?ikke (holde|styre|holde p{AA}|holde "
    rf"igen p{AA})\b.{{0,25}}\b{_BOWEL}",
    rf"\bmist(et|ede)? (kontrol|kontrollen|styr\w*)\b.{{0,25}}\b{_BOWEL}",
    rf"\b(ingen|ikke nogen|ikke) (kontrol|styr) (over|p{AA}|med) .{{0,25}}\b{_BOWEL}",
    rf"\b(sv{AE}rt|problemer) (ved|med) at (holde p{AA}|styre)\b.{{0,25}}\b{_BOWEL}",
    rf"\b(lavet|skidt|lortet|besk{AE}mmet) i bukserne\b",
    rf"\b(aff{OE}rings|anal|f{AE}kal|tarm)inkontinen\w*",
    rf"\binkontinen\w* (for|af|med) ({_BOWEL})",
    rf"\b(lost|losing|lose|no) control (of|over) (my )?(bladder (and|or|&) )?{_BOWEL}",
    r"\bloss of (bowel|anal) control\b",
    rf"\b{_CANNOT} (hold|control|hold in|stop) (my )?(bladder (and|or|&) )?{_BOWEL}",
    rf"\b(trouble|problems?|difficulty) (holding|controlling) (my |in my )?{_BOWEL}",
    r"\b(bowel|faecal|fecal|anal) incontinen\w*",
    r"\b(pooed|soiled|shat|pooped|messed) myself\b",
    r"\bleak\w* (poo|stool|faeces|feces)",
)
_LEGS_DA = (
    rf"(mine ben|begge ben|benene|ben{AE}et|(mit|det) (ene |venstre |h{OE}jre )?ben"
    rf"|(venstre|h{OE}jre) ben|benet)"
)
_LEG_WEAKNESS = _any(
    rf"\b{_LEGS_DA}\b (\w+ ){{0,3}}(svage?|sv{AE}kkede?|kraftesl{OE}se?|slappe?"
    rf"|slapt|svagt|kraftesl{OE}st|lamme(de)?|lammet|som gelé|som gele|som budding)\b",
    rf"\b(kraftesl{OE}s\w*|svag\w*|svaghed|lammelse\w*|lammet) i "
    r"(begge |mine |det ene )?ben(et|ene)?\b",
    rf"\b(kan|kunne) (pludselig )?ikke (m{AE}rke|f{OE}le) (mine ben|benene|mit ben"
    r"|det ene ben|benet)\b",
    r"\b(sudden\w* |new )?weak(ness)? (in|of) (my |both |one of my |one |the )?"
    r"(right |left )?legs?\b",
    r"\b(my |both )?legs? (have |has |had )?(suddenly |just )?(went|gone|going|are|is"
    r"|feel|felt|feels|became|become|turned) (\w+ )?(weak|numb|dead|limp|floppy"
    r"|paralysed|paralyzed)\b",
    r"\b(weak|numb|dead|limp|floppy) legs?\b",
    rf"\b{_CANNOT} (feel|move) (my |both |one of my )?legs?\b",
)
# "benene kan ikke bære mig": said with a negation, so a detector of its own
_LEGS_GIVE_OUT = _any(
    rf"\b{_LEGS_DA}\b (\w+ )?(kan|vil) (pludselig |n{AE}sten )?ikke (l{AE}ngere )?"
    r"b(æ|ae|a)re( mig)?\b",
    r"\blegs? (won'?t|wont|can'?t|cant|will not|would not|wouldn'?t) "
    r"(hold|carry|support) (me|my weight)\b",
)

DETECTORS: dict[str, Detector] = {
    "chest_pain": Detector(_CHEST_PAIN),
    "short_of_breath": Detector(_SHORT_OF_BREATH, said_with_negation=True),
    "heavy_bleeding": Detector(_HEAVY_BLEEDING),
    "seizures": Detector(_SEIZURES, unless=_NOT_A_SEIZURE),
    "fainting": Detector(_FAINTING),
    # bleeding for up to about six weeks after the birth is normal: no flag then
    "bleeding": Detector(_BLEEDING),
    "waters_breaking": Detector(_WATERS),
    "contractions": Detector(_CONTRACTIONS),
    "baby_moving_less": Detector(
        _LESS_MOVEMENT,
        context=(_BABY,),
        reassurance=_MOVES_NORMALLY,
        said_with_negation=True,
    ),
    "fall_or_accident": Detector(_FALL_OR_BLOW, context=(_BELLY,)),
    "fever": Detector(_FEVER),
    "sudden_severe_belly_pain": Detector(_SEVERE_OR_SUDDEN, context=(_BELLY, _PAIN)),
    "severe_headache": Detector(_HEADACHE, said_with_negation=True),
    "vision_disturbance": Detector(_VISION, said_with_negation=True),
    "pain_under_right_ribs": Detector(_PAIN_UNDER_RIBS),
    "sudden_swelling": Detector(_SUDDEN_SWELLING, said_with_negation=True),
    "swollen_calf": Detector(_SWOLLEN_CALF),
    "cannot_pass_urine": Detector(_CANNOT_PASS_URINE, said_with_negation=True),
    "numbness": Detector(_NUMBNESS, said_with_negation=True),
    "leg_weakness": Detector(_LEG_WEAKNESS),
    "lost_bowel_control": Detector(_LOST_BOWEL_CONTROL, said_with_negation=True),
}
# More ways to name a flag, each a detector of its own: an accident counts
# whatever the belly; legs that cannot carry her are said with a negation.
_MORE_DETECTORS: dict[str, list[Detector]] = {
    "fall_or_accident": [Detector(_ACCIDENT)],
    "leg_weakness": [Detector(_LEGS_GIVE_OUT, said_with_negation=True)],
}
# A flag that says more than another: heavy bleeding is also bleeding.
_SUBSUMES = {"heavy_bleeding": "bleeding"}


@dataclass(frozen=True)
class RedFlagReading:
    """The red flags a message names: those she has, and those she denies.

    ``normal_here``: signs it names that are no flag in her situation
    (bleeding within about six weeks of the birth).
    """

    affirmed: list[str] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)
    normal_here: list[str] = field(default_factory=list)


def _detectors(name: str) -> list[Detector]:
    return [DETECTORS[name], *_MORE_DETECTORS.get(name, [])]


def read_red_flags(text: str) -> RedFlagReading:
    """Which red flags the message affirms and which it only denies, in list order.

    A flag is affirmed when at least one place names it without a negation
    ("ingen blødning, men feber": fever is affirmed, bleeding denied).
    """
    if not text or text.lstrip().startswith("/"):
        return RedFlagReading()
    lowered = text.lower()
    affirmed: list[str] = []
    negated: list[str] = []
    for name in DETECTORS:
        found = [
            (detector, spans)
            for detector in _detectors(name)
            if (spans := list(detector.signs(lowered)))
        ]
        if not found:
            continue
        if any(
            not denied
            for detector, spans in found
            for denied in detector.denials(lowered, spans)
        ):
            affirmed.append(name)
        else:
            negated.append(name)
    for flag, lesser in _SUBSUMES.items():
        if flag in affirmed and lesser in affirmed:
            affirmed.remove(lesser)
    normal_here = []
    if "bleeding" in affirmed and _normal_after_the_birth(lowered):
        affirmed.remove("bleeding")
        normal_here.append("bleeding")
    return RedFlagReading(affirmed, negated, normal_here)


def _normal_after_the_birth(text: str) -> bool:
    """Bleeding she reports within about six weeks of the birth: no flag (the list)."""
    if not says_she_gave_birth(text):
        return False
    weeks = weeks_since_birth(text)
    return weeks is None or weeks <= EARLY_AFTER_BIRTH_WEEKS


def red_flags(text: str) -> list[str]:
    """The red flags a message affirms, in the list's order; [] for none."""
    return read_red_flags(text).affirmed
