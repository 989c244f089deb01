"""Rasa's response generator, extended by the two replies built from parts.

endpoints.yml names ``response_generator.ResponseGenerator`` as the NLG
(``nlg: type: ...``): Rasa's own templated generator, which renders every
response in her language from the domain, plus the referral check's summary
(her answers, read from the slots) and the ask-back's buttons (the choices
the action sends). The actions send responses by name and never render text
themselves (docs/architecture.md, step 7).
"""
