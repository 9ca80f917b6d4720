"""Which hosts a webhook may reach. WEBHOOK_ALLOWED_HOSTS lists host name
patterns (`hooks.slack.com`, `*.studio.lan`), addresses or networks
(`10.0.4.0/24`); `*` admits any host whose every address is public. A host
that only `*` admits is refused when it resolves to a private, loopback,
link-local or reserved address, so that a subscription cannot make the server
call into its own network (SSRF); a studio names its internal hosts explicitly.
Checked when a subscription is saved and again at every delivery, which then
connects to the very address that was checked (no DNS rebinding in between)."""

import fnmatch
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class HostRefused(ValueError):
    pass


def _networks(patterns):
    networks = []
    for pattern in patterns:
        try:
            networks.append(ipaddress.ip_network(pattern, strict=False))
        except ValueError:
            continue
    return networks


def _named(host, patterns):
    return any(pattern != "*" and fnmatch.fnmatchcase(host, pattern.lower()) for pattern in patterns)


def resolve(host, port):
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise HostRefused(f"The host '{host}' cannot be resolved: {error.strerror}.")
    return list(dict.fromkeys(info[4][0] for info in infos))


def target(url):
    """(scheme, host, port, address) to deliver `url` to; HostRefused says why not."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HostRefused("The URL must be http:// or https:// with a host.")
    host = parts.hostname.lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise HostRefused("The URL's port is not a number between 0 and 65535.")
    patterns = [pattern.strip().lower() for pattern in settings.WEBHOOK_ALLOWED_HOSTS if pattern.strip()]
    addresses = resolve(host, port)
    networks = _networks(patterns)
    named = _named(host, patterns) or all(
        any(ipaddress.ip_address(address) in network for network in networks) for address in addresses
    )
    if not named:
        if "*" not in patterns:
            raise HostRefused(f"The host '{host}' is not in WEBHOOK_ALLOWED_HOSTS.")
        private = [address for address in addresses if not ipaddress.ip_address(address).is_global]
        if private:
            raise HostRefused(
                f"The host '{host}' resolves to the non-public address {private[0]}: "
                "name it in WEBHOOK_ALLOWED_HOSTS to allow it."
            )
    return parts.scheme, host, port, addresses[0]
