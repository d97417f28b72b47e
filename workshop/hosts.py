"""The host names a workshop server answers to (the defence against DNS rebinding); no server imports."""
from __future__ import annotations

import ipaddress
import re
import socket

__all__ = ["is_loopback", "allowed_host_pattern"]

LOOPBACK_NAMES = ("localhost",)
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_IPV6 = r"\[[0-9a-f:.]+\]"


def is_loopback(ip: str) -> bool:
    """True when a server bound to ``ip`` can be reached from this machine only."""
    if not isinstance(ip, str):
        raise TypeError(f"ip must be a string such as '127.0.0.1'; got {type(ip).__name__}")
    try:
        return ip in ("localhost", "") or ipaddress.ip_address(ip).is_loopback
    except ValueError:
        raise ValueError(f"ip = {ip!r} is not an IP address; accepted: an address such as "
                         "'127.0.0.1' or '0.0.0.0', or 'localhost'") from None


def allowed_host_pattern(ip: str, extra_names: list[str] | tuple[str, ...] = ()) -> str:
    """A regular expression for the ``Host`` names (without port) this server answers to.

    A server bound to a loopback address answers only to loopback addresses and ``localhost``.
    A server bound to another address (a room: ``0.0.0.0``) answers to any IP address literal, to
    ``localhost``, to this machine's host name (and ``<name>.local``) and to ``extra_names``. A DNS
    rebinding attack always arrives with the attacker's host name, which none of these match.
    """
    names = [*LOOPBACK_NAMES, *(n.strip().lower() for n in extra_names if n.strip())]
    if is_loopback(ip):
        literals = [r"127(?:\.\d{1,3}){3}", r"\[::1\]"]
    else:
        hostname = socket.gethostname().lower()
        names += [hostname, f"{hostname}.local"] if hostname else []
        literals = [_IPV4, _IPV6]
    return "(?:" + "|".join([*literals, *(re.escape(n) for n in dict.fromkeys(names))]) + ")"
