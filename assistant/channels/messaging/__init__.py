"""Messaging platforms' channels, each switched on by its environment variables.

``switch`` (is a channel's every required setting there?), ``senders``
(conversation ids namespaced per channel: ``whatsapp:+45…``), and one module
per platform, each our subclass of Rasa's channel on Rasa's URL
(``/webhooks/<name>/webhook``) that checks the platform's signature before
anything is stored: ``twilio`` (WhatsApp and SMS). ``plain_text`` renders
buttons as numbered choices a digit answers and splits long answers at a
platform's limit; ``privacy`` gives a new conversation the greeting and the
privacy line and erases a conversation when she asks ("slet") and confirms.
"""
