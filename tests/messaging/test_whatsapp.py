"""WhatsApp and SMS through Twilio, against the running server and a fake Twilio.

Each message is Twilio's own form post, signed over the public URL; what she
would read is what the fake Twilio's Messages API received.
"""

import itertools

import pytest
import requests

from harness.fake_twilio import (
    SANDBOX_NUMBER,
    sms_message,
    whatsapp_button_reply,
    whatsapp_message,
)
from tests.messaging.conftest import stored_rows
from tests.operator import make

GREETING_DA = "Hej! Jeg er en chatbot med generel information om bækkensmerter"
PRIVACY_DA = "Jeg gemmer samtalen i 30 dage og bruger den kun til at svare dig"
ERASE_HERE_DA = "Her på WhatsApp sletter du samtalen ved at skrive «slet»."
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

_numbers = itertools.count(100_000)


@pytest.fixture
def phone() -> str:
    """A Danish mobile number no other test uses."""
    return f"+4520{next(_numbers):06d}"


def say(twilio, fake_twilio, phone, text, fields=None):
    """Send her WhatsApp message; the one text she gets back."""
    before = len(fake_twilio.bodies_to(f"whatsapp:{phone}"))
    form = fields or whatsapp_message(fake_twilio.account_sid, phone, text)
    answer = twilio.post(form)
    assert answer.status_code == 200, answer.text
    assert answer.text == EMPTY_TWIML
    bodies = fake_twilio.bodies_to(f"whatsapp:{phone}")[before:]
    assert len(bodies) == 1, bodies
    return bodies[0]


def test_a_new_conversation_starts_with_the_greeting_and_the_privacy_line(
    twilio, fake_twilio, whatsapp_bot, phone
):
    first = say(twilio, fake_twilio, phone, "Må jeg cykle, når jeg har bækkensmerter?")
    assert first.startswith(GREETING_DA)  # Danish letters as they are
    assert PRIVACY_DA in first
    greeting, privacy_line, *answer = first.split("\n\n")
    assert privacy_line.startswith(ERASE_HERE_DA)
    assert "WhatsApp og Twilio gemmer også beskederne" in privacy_line
    assert answer and GREETING_DA not in " ".join(answer)  # then the answer
    [message] = [m for m in fake_twilio.sent if m["Body"] == first]
    assert message["From"] == SANDBOX_NUMBER  # the number she wrote to

    second = say(twilio, fake_twilio, phone, "Hvad med at svømme?")
    assert GREETING_DA not in second and "«slet»" not in second

    tracker = whatsapp_bot.tracker(f"whatsapp:{phone}")
    texts = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert texts == [
        "/greet",
        "Må jeg cykle, når jeg har bækkensmerter?",
        "Hvad med at svømme?",
    ]
    # her WhatsApp profile name is not kept
    assert "Anna" not in str(tracker["events"])


def test_an_english_first_message_gets_the_english_greeting(twilio, fake_twilio, phone):
    first = say(twilio, fake_twilio, phone, "Is it safe to exercise with pelvic pain?")
    assert first.startswith("Hi! I'm a chatbot with general information")
    assert "Here on WhatsApp you delete the conversation by writing “delete”." in first


def test_a_whole_referral_check_answered_by_digits(
    twilio, fake_twilio, whatsapp_bot, phone
):
    opening = say(
        twilio, fake_twilio, phone, "Hvem skal jeg kontakte om mine bækkensmerter?"
    )
    assert opening.endswith(
        "Er du gravid, har du født, eller planlægger du at blive gravid?\n\n"
        "1) Gravid\n2) Har født\n3) Planlægger en graviditet\nSvar med et tal (1–3)."
    )
    red_flags = say(twilio, fake_twilio, phone, "1")  # Gravid
    assert red_flags.startswith("Gælder et eller flere af disse tegn for dig lige nu?")
    assert "• vandafgang" in red_flags
    assert red_flags.endswith("1) Ja\n2) Nej\nSvar med et tal (1–2).")
    pain = say(twilio, fake_twilio, phone, "2")  # Nej
    assert pain.startswith("Hvor ondt gør det")
    assert "• 7–8 – stærke" in pain and "4)" not in pain  # a number is her pain
    activities = say(twilio, fake_twilio, phone, "7")
    assert activities.startswith("Hvad har du svært ved på grund af smerterne?")
    assert "\n2) Trapper\n" in activities
    examined = say(twilio, fake_twilio, phone, "2")  # Trapper
    assert examined.startswith("Er du blevet undersøgt")
    assert examined.endswith("1) Ja\n2) Nej\nSvar med et tal (1–2).")
    # a tap on a WhatsApp quick-reply button works as well as the digit
    tap = whatsapp_button_reply(fake_twilio.account_sid, phone, "Nej", "/deny")
    advice = say(twilio, fake_twilio, phone, "", fields=tap)
    assert advice.startswith("Du har fortalt mig, at du er gravid")
    assert "7" in advice.split("\n\n")[0] and "trapper" in advice.split("\n\n")[0]
    assert "snarest kontakte din egen læge eller din jordemoder" in advice

    tracker = whatsapp_bot.tracker(f"whatsapp:{phone}")
    said = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert said[2:] == ["gravid", "/deny", "7", "trapper", "Nej"]


def test_urgent_advice_comes_first_even_before_the_greeting(twilio, fake_twilio, phone):
    reply = say(
        twilio,
        fake_twilio,
        phone,
        "Jeg har pludselig smerter i brystet og kan ikke trække vejret",
    )
    assert reply.startswith("⚠️ VIGTIGT\nRing 112 nu.")
    assert reply.index("112") < reply.index(GREETING_DA)  # greeting after


def test_slet_asks_first_then_erases_everything(
    twilio, fake_twilio, whatsapp_bot, phone
):
    sender = f"whatsapp:{phone}"
    say(twilio, fake_twilio, phone, "Hvad er bækkenløsning?")
    assert stored_rows(whatsapp_bot.database, sender) > 0

    question = say(twilio, fake_twilio, phone, "slet")
    assert question == (
        "Vil du slette hele samtalen? Så er intet af den gemt her længere, og den "
        "kan ikke hentes igen.\n\n1) Ja, slet den\n2) Nej, behold den\n"
        "Svar med et tal (1–2)."
    )
    assert stored_rows(whatsapp_bot.database, sender) > 0  # not before she says so
    done = say(twilio, fake_twilio, phone, "1")
    assert done.startswith("Samtalen er slettet")
    assert stored_rows(whatsapp_bot.database, sender) == 0

    again = say(twilio, fake_twilio, phone, "Hvad er bækkenløsning?")
    assert again.startswith(GREETING_DA)  # a new conversation


def test_glem_mig_answered_no_keeps_the_conversation(
    twilio, fake_twilio, whatsapp_bot, phone
):
    sender = f"whatsapp:{phone}"
    say(twilio, fake_twilio, phone, "Hvad er bækkenløsning?")
    say(twilio, fake_twilio, phone, "glem mig")
    assert say(twilio, fake_twilio, phone, "2") == "Samtalen er ikke slettet."
    rows = stored_rows(whatsapp_bot.database, sender)
    assert rows > 0
    # the question is closed: a later "1" is not a yes
    say(twilio, fake_twilio, phone, "1")
    assert stored_rows(whatsapp_bot.database, sender) > rows


def test_delete_in_english(twilio, fake_twilio, whatsapp_bot, phone):
    say(twilio, fake_twilio, phone, "What is pelvic girdle pain?")
    question = say(twilio, fake_twilio, phone, "Delete")
    assert question.startswith("Do you want to delete the whole conversation?")
    assert "1) Yes, delete it\n2) No, keep it" in question
    assert say(twilio, fake_twilio, phone, "yes").startswith(
        "The conversation is deleted"
    )
    assert stored_rows(whatsapp_bot.database, f"whatsapp:{phone}") == 0


def test_slet_with_nothing_stored_stores_nothing(
    twilio, fake_twilio, whatsapp_bot, phone
):
    assert say(twilio, fake_twilio, phone, "slet") == (
        "Der er ingen samtale med dig gemt her."
    )
    assert stored_rows(whatsapp_bot.database, f"whatsapp:{phone}") == 0


def test_sms_is_its_own_conversation_answered_by_sms(
    twilio, fake_twilio, whatsapp_bot, phone
):
    answer = twilio.post(sms_message(fake_twilio.account_sid, phone, "Hej"))
    assert answer.status_code == 200
    [body] = fake_twilio.bodies_to(phone)  # To: the bare number
    assert body.startswith(GREETING_DA) and "Her på SMS" in body
    [message] = [m for m in fake_twilio.sent if m["Body"] == body]
    assert message["From"] == "+4570000000"
    assert stored_rows(whatsapp_bot.database, f"sms:{phone}") > 0
    assert stored_rows(whatsapp_bot.database, phone) == 0
    assert stored_rows(whatsapp_bot.database, f"whatsapp:{phone}") == 0


def test_a_picture_alone_gets_a_text_only_reply_and_is_not_stored(
    twilio, fake_twilio, whatsapp_bot, phone
):
    fields = whatsapp_message(fake_twilio.account_sid, phone, "")
    fields.update(
        NumMedia="1",
        MessageType="image",
        MediaContentType0="image/jpeg",
        MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME",
    )
    assert say(twilio, fake_twilio, phone, "", fields=fields).startswith(
        "Jeg kan kun læse tekst"
    )
    assert stored_rows(whatsapp_bot.database, f"whatsapp:{phone}") == 0


# --- who may post ------------------------------------------------------------


def refused(twilio, fake_twilio, whatsapp_bot, phone, status, **post):
    sent_before = len(fake_twilio.sent)
    answer = twilio.post(**post)
    assert answer.status_code == status, answer.text
    assert len(fake_twilio.sent) == sent_before  # nothing sent to her
    assert stored_rows(whatsapp_bot.database, f"whatsapp:{phone}") == 0


def test_a_forged_or_missing_signature_gets_403_and_nothing_is_stored(
    twilio, fake_twilio, whatsapp_bot, phone
):
    form = whatsapp_message(fake_twilio.account_sid, phone, "Hej")
    args = (twilio, fake_twilio, whatsapp_bot, phone, 403)
    refused(*args, fields=form, signature=None)  # no header
    refused(*args, fields=form, signature="0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
    forged = type(twilio)(twilio.server_url, twilio.public_url, "not-the-token")
    refused(*args, fields=form, signature=forged.sign(form))
    # signed over the URL the server sees, not the public one Twilio names
    local = f"{twilio.server_url}/webhooks/twilio/webhook"
    refused(*args, fields=form, signature=twilio.sign(form, url=local))
    # a field changed after signing
    signature = twilio.sign(form)
    refused(*args, fields={**form, "Body": "Hej igen"}, signature=signature)
    refused(*args, fields={**form, "Extra": "1"}, signature=signature)
    # a request for another Twilio account, even if signed with this token
    other = {**form, "AccountSid": "AC" + "1" * 32}
    refused(*args, fields=other, signature=twilio.sign(other))


@pytest.mark.parametrize(
    "change",
    [
        {"From": None},
        {"From": "Anna"},
        {"From": "whatsapp:12345678"},
        {"Body": None},
    ],
)
def test_a_signed_request_that_is_not_a_message_gets_400(
    twilio, fake_twilio, whatsapp_bot, phone, change
):
    form = whatsapp_message(fake_twilio.account_sid, phone, "Hej")
    for name, value in change.items():
        if value is None:
            del form[name]
        else:
            form[name] = value
    refused(twilio, fake_twilio, whatsapp_bot, phone, 400, fields=form)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"From": "whatsapp:+4520000000", "Body": "Hej"}', "application/json"),
        (b"From=%FF%FE&Body=\xff", "application/x-www-form-urlencoded"),
        (b"", "application/x-www-form-urlencoded"),
        (b"&&&===", "application/x-www-form-urlencoded"),
    ],
)
def test_a_malformed_body_gets_4xx_never_5xx(twilio, whatsapp_bot, body, content_type):
    for signature in (None, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="):
        headers = {"Content-Type": content_type}
        if signature:
            headers["X-Twilio-Signature"] = signature
        answer = requests.post(
            f"{whatsapp_bot.url}/webhooks/twilio/webhook",
            data=body,
            headers=headers,
            timeout=30,
        )
        assert 400 <= answer.status_code < 500, (body, answer.status_code)


def test_her_conversation_cannot_be_written_through_rest(
    twilio, fake_twilio, whatsapp_bot, phone
):
    say(twilio, fake_twilio, phone, "Hvem skal jeg kontakte om mine bækkensmerter?")
    rows = stored_rows(whatsapp_bot.database, f"whatsapp:{phone}")
    for channel in ("rest", "callback"):
        answer = requests.post(
            f"{whatsapp_bot.url}/webhooks/{channel}/webhook",
            json={"sender": f"whatsapp:{phone}", "message": "gravid"},
            timeout=30,
        )
        assert answer.status_code == 403, answer.text
    assert stored_rows(whatsapp_bot.database, f"whatsapp:{phone}") == rows


def test_a_first_hej_is_greeted_once(twilio, fake_twilio, phone):
    reply = say(twilio, fake_twilio, phone, "Hej")
    assert reply.count(GREETING_DA) == 1 and reply.count(ERASE_HERE_DA) == 1
    assert reply.startswith(GREETING_DA)


def test_make_forget_with_her_whatsapp_id_erases_it(
    twilio, fake_twilio, whatsapp_bot, phone
):
    sender = f"whatsapp:{phone}"
    say(twilio, fake_twilio, phone, "Hvad er bækkenløsning?")
    rows = stored_rows(whatsapp_bot.database, sender)
    done = make(
        "forget",
        f"SENDER={sender}",  # as README says
        DB_NAME=str(whatsapp_bot.database),
        RASA_URL=whatsapp_bot.url,
        OPERATOR_TOKEN_FILE=str(whatsapp_bot.workdir / "operator-token"),
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout == f"Deleted {rows} events of that conversation.\n"
    assert stored_rows(whatsapp_bot.database, sender) == 0
    # the running server forgot it too: her next message starts anew
    assert say(twilio, fake_twilio, phone, "Hvad er bækkenløsning?").startswith(
        GREETING_DA
    )


def test_a_long_first_answer_is_split_at_a_paragraph_within_twilios_limit(
    twilio, fake_twilio, phone
):
    text = "Jeg er gravid. Hvem skal jeg kontakte om mine bækkensmerter?"
    form = whatsapp_message(fake_twilio.account_sid, phone, text)
    assert twilio.post(form).status_code == 200
    parts = fake_twilio.bodies_to(f"whatsapp:{phone}")
    assert len(parts) == 2
    assert all(len(part.encode("utf-16-le")) // 2 <= 1600 for part in parts)
    assert parts[0].startswith(GREETING_DA)
    # the red-flag question stays whole, with its choices, in the second
    assert parts[1].startswith("Gælder et eller flere af disse tegn for dig lige nu?")
    assert parts[1].endswith("1) Ja\n2) Nej\nSvar med et tal (1–2).")


def test_a_message_twilio_posts_twice_is_answered_and_stored_once(
    twilio, fake_twilio, whatsapp_bot, phone
):
    form = whatsapp_message(fake_twilio.account_sid, phone, "Hvad er bækkenløsning?")
    say(twilio, fake_twilio, phone, "", fields=form)
    rows = stored_rows(whatsapp_bot.database, f"whatsapp:{phone}")
    answer = twilio.post(form)  # Twilio's retry (same MessageSid), or a replay
    assert (answer.status_code, answer.text) == (200, EMPTY_TWIML)
    assert len(fake_twilio.bodies_to(f"whatsapp:{phone}")) == 1  # nothing more
    assert stored_rows(whatsapp_bot.database, f"whatsapp:{phone}") == rows
