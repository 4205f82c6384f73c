"""Which addresses the collector may reach: no fetches of internal hosts (SSRF).

A feed address comes from a file anyone may edit or an OPML import, and a public feed
may redirect, or page its history, to an internal host. Every request the collector
makes (each redirect hop, each back-fill page, the KEV catalog) passes `GuardedTransport`:
the host name is resolved here, every address it resolves to is checked, and the
connection goes to the checked address (the Host header and the TLS name stay the
host's), so a name that resolves differently a moment later (DNS rebinding) cannot slip
through. Intranet feeds need `allow_private_networks`; cloud metadata and link-local
addresses are refused even then.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address

import httpx

from radar.errors import FeedError

ALLOW_ENV = "RADAR_ALLOW_PRIVATE_NETWORKS"
# Instance metadata services (AWS, ECS, GCP/Azure share 169.254.169.254, Alibaba, Oracle):
# they hand out credentials to whoever asks from inside the machine.
METADATA = frozenset(ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23",
    "100.100.100.200", "192.0.0.192"))
NAT64 = IPv6Network("64:ff9b::/96")
Resolver = Callable[[str, int], Awaitable[list[str]]]


class RefusedAddress(FeedError):
    """A request to an address the collector does not fetch."""


def private_networks_allowed(setting: bool) -> bool:
    """The feeds.yaml setting, or `RADAR_ALLOW_PRIVATE_NETWORKS=1` (tests, one-off runs)."""
    return setting or os.environ.get(ALLOW_ENV, "").strip().lower() in ("1", "true", "yes")


def refusal(address: str, *, allow_private: bool) -> str | None:
    """Why the collector must not connect to `address` (an IP literal), or None.

    IPv4 written inside IPv6 (mapped, 6to4, NAT64) is judged as the IPv4 it carries.
    """
    ip: IPv4Address | IPv6Address = ip_address(address.split("%")[0])
    if isinstance(ip, IPv6Address):
        carried = ip.ipv4_mapped or ip.sixtofour or (
            IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None)
        ip = carried or ip
    if ip in METADATA or ip.is_link_local:
        return f"{ip} is a cloud metadata or link-local address (never fetched)"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    if not ip.is_global and not allow_private:
        return (f"{ip} is a private or local address (set allow_private_networks to fetch "
                "intranet feeds)")
    return None


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the system resolver, without blocking the loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that connects only to addresses `refusal` lets through.

    Each host name gets its own transport from `connect` (its own connection pool): a
    pool keys connections by address, and a TLS connection made for one name must not
    carry another name's requests (a CDN serves many feeds from one address).
    """

    def __init__(self, connect: Callable[[], httpx.AsyncBaseTransport], *, allow_private: bool,
                 resolver: Resolver = resolve) -> None:
        self.connect, self.allow_private, self.resolver = connect, allow_private, resolver
        self.pools: dict[str, httpx.AsyncBaseTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        host = url.raw_host.decode("ascii")   # as the wire spells it (IDNA for other scripts)
        address = await self.checked_address(host, url.port or
                                             (443 if url.scheme == "https" else 80))
        extensions = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = host   # the certificate is checked for the name
        pinned = httpx.Request(request.method, url.copy_with(host=address),
                               headers=request.headers, stream=request.stream,
                               extensions=extensions)
        pool = self.pools.get(host) or self.pools.setdefault(host, self.connect())
        return await pool.handle_async_request(pinned)

    async def checked_address(self, host: str, port: int) -> str:
        """The address to connect to; `RefusedAddress` when any address of `host` is
        refused (a name resolving to a public and a private address is not trusted)."""
        try:
            addresses = [str(ip_address(host))]
        except ValueError:
            try:
                addresses = await self.resolver(host, port)
            except (OSError, UnicodeError) as e:
                raise FeedError(f"ConnectError: name resolution of {host} failed "
                                f"({getattr(e, 'strerror', None) or e})") from e
        if not addresses:
            raise FeedError(f"ConnectError: name resolution of {host} found no address")
        for address in addresses:
            reason = refusal(address, allow_private=self.allow_private)
            if reason:
                named = "" if address == host else f"{host}: "
                raise RefusedAddress(f"refused: {named}{reason}")
        return addresses[0]

    async def aclose(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()
