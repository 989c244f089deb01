"""The operator's routes on a running server: what `make forget` and `make purge` ask.

``operator/forget`` and ``operator/purge`` (POST, ``OPERATOR_TOKEN`` as the
bearer token, from 127.0.0.1 or ::1 only and with no proxy's forwarding
header; HAProxy denies them too), on the widget channel's blueprint. A
refused request is an ``OperatorRequestRefused``, which carries its status:
403 for who is asking, 400 for what was sent.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels import widget_auth
from assistant.channels.erasure import NOT_ERASED, erase
from assistant.config import retention_setting
from assistant.stores import retention

OPERATOR_ONLY = (
    "Operator requests need OPERATOR_TOKEN as the bearer token and are taken "
    "from this machine only (make forget, make purge)."
)
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")
OperatorHandler = Callable[[Request, dict[str, Any]], Awaitable[HTTPResponse]]


class OperatorRequestRefused(Exception):
    """An operator request that is refused, with its HTTP status and message."""

    def __init__(self, message: str, status: int = 400) -> None:
        """403 for who is asking, 400 (the default) for what was sent."""
        super().__init__(message)
        self.message = message
        self.status = status

    def response(self) -> HTTPResponse:
        """The JSON error the operator commands print."""
        return response.json({"error": self.message}, status=self.status)


def add_operator_routes(widget: Blueprint, operator_token: str | None) -> None:
    """Add the operator's routes (closed when there is no operator token)."""

    def operator_request(request: Request) -> dict[str, Any]:
        """The body of an operator request; ``OperatorRequestRefused`` if not."""
        # from this machine only, and not through a proxy on it
        forwarded = any(h in request.headers for h in FORWARDING_HEADERS)
        if forwarded or not widget_auth.is_loopback(request.ip):
            raise OperatorRequestRefused(OPERATOR_ONLY, status=403)
        token = widget_auth.bearer_token(request.headers.get("authorization"))
        if not operator_token or not widget_auth.is_operator(operator_token, token):
            raise OperatorRequestRefused(OPERATOR_ONLY, status=403)
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, RecursionError):
            raise OperatorRequestRefused("The body must be JSON.") from None
        if not isinstance(body, dict):
            raise OperatorRequestRefused("The body must be a JSON object.")
        return body

    def operator_route(
        path: str,
    ) -> Callable[[OperatorHandler], Callable[[Request], Awaitable[HTTPResponse]]]:
        """A POST route for operators: its handler gets the checked body.

        A refusal, the check's or the handler's own, is answered here.
        """

        def register(
            handler: OperatorHandler,
        ) -> Callable[[Request], Awaitable[HTTPResponse]]:
            async def route(request: Request) -> HTTPResponse:
                try:
                    return await handler(request, operator_request(request))
                except OperatorRequestRefused as refused:
                    return refused.response()

            widget.add_route(route, path, methods=["POST"], name=handler.__name__)
            return route

        return register

    @operator_route("/operator/forget")
    async def operator_forget(request: Request, body: dict[str, Any]) -> HTTPResponse:
        sender = body.get("sender")
        if not isinstance(sender, str) or not sender.strip():
            raise OperatorRequestRefused('"sender" must name the conversation.')
        deleted = await erase(request.app.ctx.agent, sender)
        if deleted is None:
            return response.json({"error": NOT_ERASED}, status=500)
        return response.json({"deleted_events": deleted})

    @operator_route("/operator/purge")
    async def operator_purge(request: Request, body: dict[str, Any]) -> HTTPResponse:
        try:
            purge_days = retention_setting.retention_days(
                None if body.get("days") is None else str(body["days"])
            )
        except ValueError:
            raise OperatorRequestRefused(
                '"days" must be a whole number of at least 1.'
            ) from None
        deleted = await retention.purge_in_store(request.app.ctx.agent, purge_days)
        return response.json({"deleted_conversations": deleted})
