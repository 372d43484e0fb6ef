"""Deciding whether an address may be fetched: the server-side request forgery guard.

A user types a feed or article URL; the server fetches it. Without this guard that URL
could point the server at itself (127.0.0.1, the admin port), at the team's private
network (10.x, 192.168.x) or at a cloud metadata service (169.254.169.254). The guard
resolves the host *once*, checks every address it resolves to, and hands back the
addresses to connect to, so the connection goes to exactly the address that was
checked (a second lookup could answer differently: DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket

from topofmind.integrations.fetch.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that carry an IPv4 address inside; the IPv4 address decides.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
# 100.64.0.0/10 (carrier-grade NAT) is not "private" to Python 3.11 but is not the internet either.
_SHARED = ipaddress.ip_network("100.64.0.0/10")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or address in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet; False for anything local or special."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
        # Deprecated IPv4-compatible form ::a.b.c.d (also covers :: and ::1, refused below).
        if int(address) >> 32 == 0:
            return False
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return False
    # ``is_global`` alone lets multicast through on Python 3.11, hence the explicit list.
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(
    host: str,
    port: int,
    *,
    url: str,
    what: str,
    allow_private_addresses: bool,
    trusted_addresses: frozenset[IPAddress] = frozenset(),
) -> list[IPAddress]:
    """The addresses to connect to for ``host``, each one checked; at least one.

    ``trusted_addresses`` are let through even when private (one intranet news server,
    say) while every other private address stays refused.

    Raises FetchError("dns") when the name does not resolve and FetchError("private_address")
    when any address it resolves to is not public (one bad answer is enough to refuse:
    a connection attempt could land on it).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            f"The {what} at {url} cannot be reached: the name {host} does not resolve.", code="dns", url=url
        ) from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        # Strip an IPv6 zone ("fe80::1%eth0"): the address part decides.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(
            f"The {what} at {url} cannot be reached: the name {host} does not resolve.", code="dns", url=url
        )
    if not allow_private_addresses:
        for address in addresses:
            if not is_public(address) and address not in trusted_addresses:
                shown = host if host == str(address) else f"{host} ({address})"
                raise FetchError(
                    f"The {what} at {url} was not fetched: {shown} is a private address, and fetching private addresses is turned off.",
                    code="private_address",
                    url=url,
                )
    return addresses
