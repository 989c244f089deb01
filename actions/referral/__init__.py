"""The guided referral check: parsing her answers, the advice table, the form."""
