"""Each route is served on its own path only, so no check keyed on a path is missed.

Sanic's router (strict slashes off, as Rasa creates the app) also serves
``/webhooks/rest/webhook/`` and ``/webhooks/rest/webhook//`` for
``/webhooks/rest/webhook``; a check that looks at the path
(``path.endswith("/webhook")``) then let a request through unchecked: no
sender (the shared "default" conversation), no length limit. A channel's
request middleware calls ``path_problem`` first: a request whose path is not
its route's own path gets HTTP 404 naming the path to use. Other spellings
(``//webhooks/…``, another case, ``%2F``) are not routed at all (404 from
Sanic). Checks after it then compare ``served_path`` exactly. A channel's
root (its health check, ``/webhooks/rest/``) answers with and without the
slash, as Rasa documents it with one.
"""

from __future__ import annotations

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse


def served_path(request: Request) -> str:
    """The path of the route Sanic chose for ``request`` (its own if none).

    A route with parameters (``/<name>``) has no one path: its request's own.
    """
    route = getattr(request, "route", None)
    if route is None or route.params:
        return request.path
    return "/" + route.path.strip("/")


def path_problem(request: Request, root: str = "") -> HTTPResponse | None:
    """HTTP 404 naming the route's path if ``request`` spells it another way.

    ``root``: the blueprint's URL prefix, whose route answers on
    ``root + "/"`` too.
    """
    path = served_path(request)
    if request.path == path or (path == root and request.path == root + "/"):
        return None
    return response.json(
        {"error": f"Not found: the path is {path}, exactly."}, status=404
    )
