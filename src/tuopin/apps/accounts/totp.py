"""TOTP (RFC 6238) with the standard library: HMAC-SHA1, 30-second steps, 6 digits (decision 0903).

What authenticator apps (Google Authenticator, 微信/阿里 身份宝 …) expect by default.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time

STEP = 30
DIGITS = 6


def new_secret() -> str:
    """160 random bits, base32 without padding (the form authenticator apps take)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    s = secret.strip().replace(" ", "").upper()
    return base64.b32decode(s + "=" * (-len(s) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226 §5.3: dynamic truncation of HMAC(key, counter)."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10 ** digits).zfill(digits)


def code_at(secret: str, at: float | None = None) -> str:
    return hotp(_key(secret), int((time.time() if at is None else at) // STEP))


def matching_step(secret: str, code: str, at: float | None = None, window: int = 1) -> int | None:
    """The time step `code` belongs to — the step of `at` or one either side (clock drift of phones) — or None.

    The caller remembers the step it accepted, so that a code is good once (see accounts.second_factor)."""
    code = (code or "").strip().replace(" ", "")
    if not secret or len(code) != DIGITS or not code.isdigit():
        return None
    key, now = _key(secret), int((time.time() if at is None else at) // STEP)
    found = None
    for step in range(now - window, now + window + 1):  # every step compared: no early exit to time
        if hmac.compare_digest(hotp(key, step), code):
            found = step if found is None else found
    return found


def verify(secret: str, code: str, at: float | None = None, window: int = 1) -> bool:
    """True when `code` matches the step of `at` or one step either side (clock drift of phones)."""
    return matching_step(secret, code, at, window) is not None


def provisioning_uri(secret: str, username: str, issuer: str = "tuopin") -> str:
    from urllib.parse import quote

    label = quote(f"{issuer}:{username}", safe=":@")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&algorithm=SHA1&digits={DIGITS}&period={STEP}"
