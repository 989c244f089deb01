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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.text.negation import is_negated, negated_inside

_FLAGS = re.IGNORECASE
AE, OE, AA = "(æ|ae|a)", "(ø|oe|o)", "(å|aa|a)"  # Danish typed without æ/ø/å


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


@dataclass(frozen=True)
class Detector:
    """How one red flag is recognised.

    ``sign`` names the sign itself; negation is judged around each of its
    matches. Every pattern in ``context`` must also occur somewhere in the
    message ("a fall" counts only with "the belly"). A match of
    ``reassurance`` that overlaps the sign says it is absent ("not noticed
    less movement"). ``said_with_negation``: the sign itself is named with a
    negation ("can't hold my urine"), so one inside its words does not deny it.
    """

    sign: re.Pattern[str]
    context: tuple[re.Pattern[str], ...] = ()
    reassurance: re.Pattern[str] | None = None
    said_with_negation: bool = False

    def signs(self, text: str) -> Iterator[tuple[int, int]]:
        """Where the message names the sign, if its context is there too."""
        if all(pattern.search(text) for pattern in self.context):
            for match in self.sign.finditer(text):
                yield match.span()

    def denied(self, text: str, span: tuple[int, int]) -> bool:
        """True when the message denies the sign it names at ``span``."""
        if self.reassurance is not None and any(
            m.start() < span[1] and span[0] < m.end()
            for m in self.reassurance.finditer(text)
        ):
            return True
        if not self.said_with_negation and negated_inside(text, span):
            return True
        return is_negated(text, span)


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
    r"\bp{AA}k{OE}rt\b",
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
_CALF = rf"(l{AE}g(gen|gene|ge)?|l{AE}gmusk\w*|calf|calves)"
_ONE_LEG = (
    rf"((det ene|ene|h{OE}jre|venstre) ben(et)?|benet|l{AA}ret"
    r"|(one|left|right|my|the) (lower |upper )?leg|leg|thigh)"
)
_CALF_SIGN = (
    rf"(h{AE}vet|h{AE}vede|h{AE}ver|varm|varmt|r{OE}d|r{OE}dt|(ø|oe)mt?|ondt"
    r"|smert\w*|h{AA}rd|swollen|swelling|swelled|warm|hot|red|tender|painful|pain|hurts?"
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
_LOST_CONTROL = _any(
    r"\bmistet (kontrol|kontrollen|styr)\w*",
    rf"\b(ingen|ikke nogen|mistet) (kontrol|styr) (over|p{AA}) ",
    rf"\b(kan|kunne) (n{AE}sten |pludselig )?ikke (holde|styre|holde p{AA})\b.{{0,20}}"
    rf"\b(tis|tissen|vandet|urin\w*|aff{OE}ring\w*|tarm\w*|bl{AE}re\w*|lort|pr{OE}mp)",
    rf"\b(sv{AE}rt|problemer) (ved|med) at (holde p{AA}|styre)\b.{{0,20}}"
    rf"\b(tis|tissen|vandet|urin\w*|aff{OE}ring\w*|tarm\w*|bl{AE}re\w*)",
    r"\btisser i bukserne\b",
    r"\b(lost|losing|lose|no) control (of|over) (my )?(bladder|bowels?|wee|pee)",
    r"\bcan'?t (hold|control|hold in) (my )?(pee|urine|wee|bladder|bowels?|poo|stool)",
    r"\b(trouble|problems?|difficulty) (holding|controlling) (my |in my )?"
    r"(pee|urine|wee|bladder|bowels?|poo|stool)",
    r"\bwet myself\b",
    r"\bincontinen\w*",
    r"\binkontinen\w*",
    r"\b(pooed|soiled|shat) myself\b",
    rf"\bkan (n{AE}sten |slet )?ikke (f{AA} )?tisse",
    r"\bcan'?t (pee|wee|urinate)\b(?! (properly )?(in|when))",
    r"\bleak\w* (poo|stool|faeces|feces)",
    r"\bcan'?t stop (it|peeing|weeing|pooing)",
    r"\b(lavet|skidt) i bukserne\b",
    rf"\bkan ikke m{AE}rke,? n{AA}r jeg skal (tisse|p{AA} toilet)",
    r"\bcan'?t (feel|tell) when i need to (pee|wee|go)",
)

DETECTORS: dict[str, Detector] = {
    "bleeding": Detector(_BLEEDING),
    "waters_breaking": Detector(_WATERS),
    "fever": Detector(_FEVER),
    "contractions": Detector(_CONTRACTIONS),
    "baby_moving_less": Detector(
        _LESS_MOVEMENT,
        context=(_BABY,),
        reassurance=_MOVES_NORMALLY,
        said_with_negation=True,
    ),
    "sudden_severe_belly_pain": Detector(_SEVERE_OR_SUDDEN, context=(_BELLY, _PAIN)),
    "severe_headache": Detector(_HEADACHE, said_with_negation=True),
    "vision_disturbance": Detector(_VISION, said_with_negation=True),
    "pain_under_right_ribs": Detector(_PAIN_UNDER_RIBS),
    "sudden_swelling": Detector(_SUDDEN_SWELLING, said_with_negation=True),
    "swollen_calf": Detector(_SWOLLEN_CALF),
    "short_of_breath": Detector(_SHORT_OF_BREATH, said_with_negation=True),
    "chest_pain": Detector(_CHEST_PAIN),
    "numbness": Detector(_NUMBNESS, said_with_negation=True),
    "lost_bladder_bowel_control": Detector(_LOST_CONTROL, said_with_negation=True),
    "fall_or_accident": Detector(_FALL_OR_BLOW, context=(_BELLY,)),
}
# An accident counts whatever the belly: a second detector for the same flag.
_ACCIDENT_DETECTOR = Detector(_ACCIDENT)


@dataclass(frozen=True)
class RedFlagReading:
    """The red flags a message names: those she has, and those she denies."""

    affirmed: list[str] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)


def _detectors(name: str) -> list[Detector]:
    extra = [_ACCIDENT_DETECTOR] if name == "fall_or_accident" else []
    return [DETECTORS[name], *extra]


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
        spans = [
            (detector, span)
            for detector in _detectors(name)
            for span in detector.signs(lowered)
        ]
        if not spans:
            continue
        if any(not detector.denied(lowered, span) for detector, span in spans):
            affirmed.append(name)
        else:
            negated.append(name)
    return RedFlagReading(affirmed, negated)


def red_flags(text: str) -> list[str]:
    """The red flags a message affirms, in the list's order; [] for none."""
    return read_red_flags(text).affirmed
