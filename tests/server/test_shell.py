"""`make shell`'s client against the real bot: numbers pick buttons."""

from tests.server.shell_client import shell_output


def test_typing_a_number_picks_the_button_and_a_bare_enter_picks_nothing(bot, sender):
    typed = "Hvem skal jeg kontakte?\n\n2\n2\n/stop\n"
    out = shell_output(bot.url, sender, typed)
    question = "Bot> Er du gravid, har du født, eller planlægger du at blive gravid?"
    assert question in out
    assert "   1) Gravid\n" in out and "   2) Har født\n" in out
    assert "(skriv 1–3 for et valg / type 1–3 to pick)" in out
    assert "Bot> Gælder et eller flere af disse tegn for dig lige nu?" in out
    assert "   1) Ja\n" in out and "   2) Nej\n" in out
    assert "(skriv 1–2 for et valg / type 1–2 to pick)" in out
    assert "Bot> Hvor lang tid er det siden, du fødte?" in out
    assert "VIGTIGT" not in out  # no urgent advice
    said = [e["text"] for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    # Enter sent nothing
    assert said == ["Hvem skal jeg kontakte?", "har født", "/deny"]
