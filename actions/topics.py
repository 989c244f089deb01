"""Short titles of the FAQ topics and other choices, as buttons show them.

The keys are the topic contract's response keys (``utter_faq/<key>``) and the
plain intents a button may offer.
"""

from __future__ import annotations

DANISH = "da"
ENGLISH = "en"

CHOICE_TITLES: dict[str, dict[str, str]] = {
    "faq/recurrence": {
        DANISH: "Kommer det igen ved næste graviditet?",
        ENGLISH: "Will it come back next pregnancy?",
    },
    "faq/core_training": {
        DANISH: "Hjælper det at træne kernen?",
        ENGLISH: "Does core training help?",
    },
    "faq/after_birth": {
        DANISH: "Går det væk efter fødslen?",
        ENGLISH: "Does it go away after birth?",
    },
    "faq/ligament_healing": {
        DANISH: "Hvor lang tid tager det at hele?",
        ENGLISH: "How long does it take to heal?",
    },
    "faq/symptoms": {
        DANISH: "Hvor gør det ondt?",
        ENGLISH: "Where does it hurt?",
    },
    "faq/causes": {
        DANISH: "Hvorfor får gravide det?",
        ENGLISH: "Why do pregnant women get it?",
    },
    "faq/pelvis_anatomy": {
        DANISH: "Hvordan er bækkenet bygget?",
        ENGLISH: "How is the pelvis built?",
    },
    "faq/what_is_pgp": {
        DANISH: "Hvad er bækkenløsning?",
        ENGLISH: "What is pelvic girdle pain?",
    },
    "faq/exercises": {
        DANISH: "Hvilke øvelser og hvilken teknik?",
        ENGLISH: "Which exercises and technique?",
    },
    "faq/training_program": {
        DANISH: "Findes der et træningsprogram?",
        ENGLISH: "Is there a training programme?",
    },
    "faq/avoid_movements": {
        DANISH: "Hvilke bevægelser skal jeg undgå?",
        ENGLISH: "Which movements should I avoid?",
    },
    "faq/stay_active": {
        DANISH: "Skal jeg holde mig i ro?",
        ENGLISH: "Should I rest completely?",
    },
    "faq/posture": {
        DANISH: "Betyder kropsholdningen noget?",
        ENGLISH: "Does posture matter?",
    },
    "faq/diastasis": {
        DANISH: "Hvad med delte mavemuskler?",
        ENGLISH: "What about split abdominal muscles?",
    },
    "faq/individual_program": {
        DANISH: "Er alle bækkener forskellige?",
        ENGLISH: "Is every pelvis different?",
    },
    "faq/patient_association": {
        DANISH: "Hvor kan jeg læse mere?",
        ENGLISH: "Where can I read more?",
    },
    "faq/evidence": {
        DANISH: "Hvilken forskning bygger det på?",
        ENGLISH: "What research is this based on?",
    },
    "faq/is_it_dangerous": {
        DANISH: "Er det farligt?",
        ENGLISH: "Is it dangerous?",
    },
    "ask_referral": {
        DANISH: "Hvem skal jeg kontakte?",
        ENGLISH: "Who should I contact?",
    },
    "urgent": {
        DANISH: "Akutte tegn: blødning, feber, veer …",
        ENGLISH: "Warning signs: bleeding, fever, contractions …",
    },
    "help": {
        DANISH: "Noget andet – vis emnerne",
        ENGLISH: "Something else – show the topics",
    },
}


def choice_title(choice: str, language: str) -> str:
    """The button title of a choice in the given language (Danish by default)."""
    titles = CHOICE_TITLES[choice]
    return titles.get(language, titles[DANISH])


def choice_payload(choice: str) -> str:
    """The payload a button for the choice sends: ``/faq/<topic>`` or ``/<intent>``."""
    return f"/{choice}"
