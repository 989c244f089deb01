"""Her situation, as the urgent advice and the referral check name it.

The values of the ``care_situation`` slot (domain.yml): whom the urgent
advice sends her to (docs/referral.md). ``assistant/text/situation.py``
reads them from her messages; ``actions/referral/advice.py`` from the
referral check's answers.
"""

from __future__ import annotations

SLOT = "care_situation"

EARLY_PREGNANCY = "early_pregnancy"  # before about week 22: egen læge, lægevagten
PREGNANT = "pregnant"  # from about week 22, or the week not known: fødegangen
RECENTLY_GAVE_BIRTH = "recently_gave_birth"  # up to 6 weeks after the birth
NOT_PREGNANT = "not_pregnant"  # planning, or more than 6 weeks after the birth
CARE_SITUATIONS = (EARLY_PREGNANCY, PREGNANT, RECENTLY_GAVE_BIRTH, NOT_PREGNANT)

# Up to this many weeks after the birth, the maternity ward she gave birth at
# (or lægevagten) is where bleeding, fever or sudden pain goes.
EARLY_AFTER_BIRTH_WEEKS = 6
# Before this week bleeding or pain goes to egen læge or lægevagten, who refer
# on (about week 22; her vandrejournal or hospital says where the line is).
EARLY_PREGNANCY_BEFORE_WEEK = 22
