"""What a custom action call carries of the domain, and the domain's emptiness.

With ``enable_selective_domain`` (endpoints.yml) Rasa sends the domain only to
the custom actions that declare ``send_domain: true`` in domain.yml, and to
every form validation action (``validate_<form>``), always and whole. Of this
domain's 90 KB, 87 KB are its responses in two languages, which a validation
action never reads: rasa-sdk's ``FormValidationAction`` reads the form's
required slots and the slots, and the actions send responses by name for Rasa
to render. Every referral check turn wrote those 87 KB as JSON (0.26 ms of the
Rasa server's CPU) and the action server parsed and checked them (a third of
its CPU in the bench).

``action_call_format`` replaces ``RemoteAction._action_call_format``
(``assistant/server/rasa_patches.py``): Rasa's call, except that a validation
action that does not declare ``send_domain: true`` gets the domain without its
responses. A validation action that declares it, every other action, and a
deployment without the selective domain get what Rasa sends.

``is_empty`` replaces ``Domain.is_empty``, which Rasa calls twice for every
message (``MessageProcessor._check_for_unseen_features``) and which built a
whole new empty ``Domain`` each time to compare with (2 % of the server's
CPU in the bench): the same comparison with the empty domain's dict built
once.
"""

from __future__ import annotations

import functools
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import KEY_RESPONSES, Domain

rasa_action_call_format = RemoteAction._action_call_format
rasa_is_empty = Domain.is_empty

VALIDATION_ACTION_PREFIX = "validate_"  # as Rasa's domain recognises them
SEND_DOMAIN = "send_domain"


def declares_send_domain(domain: dict[str, Any], action_name: str) -> bool:
    """Whether domain.yml's ``actions`` give ``action_name`` ``send_domain: true``."""
    for action in domain.get("actions") or []:
        if isinstance(action, dict) and action_name in action:
            return bool((action[action_name] or {}).get(SEND_DOMAIN))
    return False


def domain_for_call(domain: dict[str, Any], action_name: str) -> dict[str, Any]:
    """What a call to ``action_name`` carries of ``domain`` (which Rasa would send)."""
    if not action_name.startswith(VALIDATION_ACTION_PREFIX) or declares_send_domain(
        domain, action_name
    ):
        return domain
    return {key: value for key, value in domain.items() if key != KEY_RESPONSES}


def action_call_format(
    self: RemoteAction, tracker: Any, domain: Domain
) -> dict[str, Any]:
    """``RemoteAction._action_call_format``, a validation action's without responses."""
    call: dict[str, Any] = rasa_action_call_format(self, tracker, domain)
    sent = call.get("domain")
    if sent is not None and self._is_selective_domain_enabled():
        call["domain"] = domain_for_call(sent, self.name())
    return call


@functools.lru_cache(maxsize=1)
def _empty_domain() -> dict[str, Any]:
    return Domain.empty().as_dict()


def is_empty(self: Domain) -> bool:
    """``Domain.is_empty``: the same comparison, the empty domain built once."""
    return bool(self.as_dict() == _empty_domain())
