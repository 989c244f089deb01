"""What both processes know, written once: the Rasa server and the action server.

The action server never imports ``assistant`` (it runs in an image of its
own, without Rasa), and ``assistant`` never imports ``actions``; the facts
both need live here, the way Rasa keeps what its server and SDK share in
``rasa/shared``. Standard library only, and nothing of the project:
``tests/unit/test_architecture.py`` checks both.

- ``care_situations``: the values of the ``care_situation`` slot, the six
  weeks after the birth, the week early pregnancy ends.
- ``action_secret``: the name of the shared secret and of its header.
- ``intents``: the name of every intent the code acts on.
- ``amounts``: number words and amounts of time in Danish and English, and
  reading them ("to uger", "halvanden måned", "syv").
- ``referral_answers``: the referral check's slots and her answers as values
  (pain band, time since the birth), read from the slots.
- ``referral_summary``: the summary of her answers, built from the domain's
  pieces (the action names it, the Rasa server renders it).
- ``ask_back``: the ask-back's response, its choices and buttons.
"""
