"""Security of the web app: headers (CSP), request size limit, token sessions and CSRF.

* Pages carry a strict Content-Security-Policy: scripts only from the app itself (no inline
  script at all), no framing, forms only to the app.
* Write endpoints need the token given at start (``--token`` or generated and printed):
  API clients send ``Authorization: Bearer <token>``; a browser signs in once at
  ``/login`` and receives an HttpOnly, SameSite=Strict session cookie derived from the token.
* Forms also carry a CSRF field bound to the session (an HMAC), checked on every POST.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "storyline_session"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items()
                         if k.encode() not in names]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes (413), by header and while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await _too_large(send, self.limit)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except BodyTooLarge:
            await _too_large(send, self.limit)


class BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"error": "request body larger than {limit} bytes"}}'.encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The token, the session cookie derived from it, and CSRF fields."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.secret = secrets.token_bytes(32)

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def session_value(self) -> str:
        return self._mac("session", self.token)

    def token_ok(self, candidate: str | None) -> bool:
        return bool(candidate) and hmac.compare_digest(str(candidate).encode(),
                                                       self.token.encode())

    def signed_in(self, request: Request) -> bool:
        cookie = request.cookies.get(SESSION_COOKIE) or ""
        return hmac.compare_digest(cookie.encode(), self.session_value().encode())

    def csrf_token(self, request: Request) -> str:
        return self._mac("csrf", request.cookies.get(SESSION_COOKIE) or "anonymous")

    def check_form(self, request: Request, form: Any) -> None:
        """A POSTed form must come from a signed-in browser with the matching CSRF field."""
        if not self.signed_in(request):
            raise HTTPException(status_code=403, detail="sign in with the write token first")
        sent = str(form.get("csrf") or "")
        if not hmac.compare_digest(sent.encode(), self.csrf_token(request).encode()):
            raise HTTPException(status_code=403, detail="the form expired (CSRF check failed); "
                                                        "reload the page and try again")

    def check_api(self, request: Request) -> None:
        """An API write needs ``Authorization: Bearer <token>``."""
        header = request.headers.get("authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not self.token_ok(value.strip()):
            raise HTTPException(status_code=401, detail="missing or wrong token",
                                headers={"WWW-Authenticate": "Bearer"})
