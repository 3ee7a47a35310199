"""Which Host headers the service answers: a guard against DNS rebinding.

A page on evil.example whose name is re-pointed at 127.0.0.1 talks to a local Skywatch as
its own origin: its Origin and its Host both say evil.example, so the origin check passes.
Only the Host header can tell, so requests (websockets included) naming a host that is not
allowed are refused with 400 by Starlette's TrustedHostMiddleware.

SKYWATCH_ALLOWED_HOSTS lists the names (`*.example.org` wildcards allowed, `*` for any)
beside localhost, 127.0.0.1 and ::1, which are always allowed; unset, `skywatch serve`
allows localhost and the address it is bound to (all of the machine's names and addresses
when bound to every interface). An app not started by
`skywatch serve` and given no list (the test client, another ASGI server) checks nothing.
"""

from __future__ import annotations

import socket

from backend.config import Settings

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_EVERY_INTERFACE = ("0.0.0.0", "::", "")


def _machine_names() -> set[str]:
    names = {socket.gethostname(), socket.getfqdn()}
    for name in list(names):
        try:
            names |= {str(info[4][0]) for info in socket.getaddrinfo(name, None)}
        except OSError:
            continue
    return {name.lower() for name in names if name}


def allowed_hosts(settings: Settings) -> list[str]:
    """The Host names the app answers; ["*"] when it checks none."""
    if settings.allowed_hosts:
        listed = [host.strip().lower() for host in settings.allowed_hosts]
        # Local names are never a rebinding (and local health checks use them).
        return ["*"] if "*" in listed else sorted({*LOCAL_HOSTS, *listed})
    if settings.bound_host is None:
        return ["*"]
    hosts = set(LOCAL_HOSTS)
    bound = settings.bound_host.strip("[]").lower()
    if bound in _EVERY_INTERFACE:
        hosts |= _machine_names()
    else:
        hosts.add(bound)
    return sorted(hosts)
