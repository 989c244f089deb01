"""X-Twilio-Signature as Twilio computes it, and her conversation id."""

import hmac

import pytest
from twilio.request_validator import RequestValidator

from assistant.channels.messaging.twilio import (
    address_of,
    is_signed,
    sender_of,
    signature,
    url_variants,
)

TOKEN = "12345"
URL = "https://bot.example.dk/webhooks/twilio/webhook"
FORM = {
    "SmsMessageSid": ["SM0123456789abcdef0123456789abcdef"],
    "NumMedia": ["0"],
    "ProfileName": ["Anna Sørensen"],
    "WaId": ["4512345678"],
    "Body": ["Må jeg cykle?"],
    "To": ["whatsapp:+14155238886"],
    "From": ["whatsapp:+4512345678"],
    "AccountSid": ["AC" + "0" * 32],
    "ButtonText": [""],
}


def test_the_signature_is_the_one_twilios_own_library_computes():
    reference = RequestValidator(TOKEN)
    flat = {name: values[0] for name, values in FORM.items()}
    assert signature(TOKEN, URL, FORM) == reference.compute_signature(URL, flat)
    assert reference.validate(URL, flat, signature(TOKEN, URL, FORM))


def test_twilios_documented_example():
    # https://www.twilio.com/docs/usage/security#validating-requests
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": ["CA1234567890ABCDE"],
        "Caller": ["+12349013030"],
        "Digits": ["1234"],
        "From": ["+12349013030"],
        "To": ["+18005551212"],
    }
    assert signature(TOKEN, url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_a_signature_is_valid_only_for_that_token_url_and_form():
    given = signature(TOKEN, URL, FORM)
    assert is_signed(TOKEN, URL, FORM, given)
    assert not is_signed("54321", URL, FORM, given)
    assert not is_signed(TOKEN, URL.replace("bot.", "bot2."), FORM, given)
    assert not is_signed(TOKEN, URL, {**FORM, "From": ["+4587654321"]}, given)
    assert not is_signed(TOKEN, URL, {**FORM, "Extra": ["1"]}, given)
    assert not is_signed(TOKEN, URL, FORM, None)
    assert not is_signed(TOKEN, URL, FORM, "")
    assert not is_signed("", URL, FORM, signature("", URL, FORM))  # no token: none


def test_twilio_may_sign_the_url_with_or_without_the_default_port():
    with_port = URL.replace("bot.example.dk", "bot.example.dk:443")
    assert url_variants(URL) == [URL, with_port]
    assert url_variants(with_port) == [with_port, URL]
    assert is_signed(TOKEN, URL, FORM, signature(TOKEN, with_port, FORM))
    assert url_variants("https://bot.example.dk:8443/x") == [
        "https://bot.example.dk:8443/x"
    ]


def test_the_signature_is_compared_in_constant_time(monkeypatch):
    compared = []
    original = hmac.compare_digest

    def watched(a, b):
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", watched)
    assert not is_signed(TOKEN, URL, FORM, "forged")
    assert (signature(TOKEN, URL, FORM).encode(), b"forged") in compared


@pytest.mark.parametrize(
    ("from_field", "sender", "address"),
    [
        ("whatsapp:+4512345678", "whatsapp:+4512345678", "whatsapp:+4512345678"),
        ("+4512345678", "sms:+4512345678", "+4512345678"),
        ("+14155238886", "sms:+14155238886", "+14155238886"),
    ],
)
def test_her_conversation_id_names_the_channel(from_field, sender, address):
    assert sender_of(from_field) == sender
    assert address_of(sender) == address


@pytest.mark.parametrize(
    "from_field",
    [
        "",
        "anna",
        "whatsapp:",
        "whatsapp:anna",
        "4512345678",
        "+45 12 34 56 78",
        "messenger:123",
        "+0123456789",
        "+4512345678\n",
        "whatsapp:+45123456789012345",
    ],
)
def test_anything_but_a_phone_number_is_refused(from_field):
    assert sender_of(from_field) is None
