"""IP addresses for simulated servers, all from ranges reserved for documentation."""

from __future__ import annotations

import ipaddress

# 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737), hosts .1 to .254 of each.
_DOC_BLOCKS = tuple(
    int(ipaddress.IPv4Address(base)) for base in ("192.0.2.0", "198.51.100.0", "203.0.113.0")
)
_HOSTS_PER_BLOCK = 254
_DOC_HOSTS = _HOSTS_PER_BLOCK * len(_DOC_BLOCKS)
# A fleet larger than the documentation ranges goes on in 198.18.0.0/15 (RFC 2544).
_OVERFLOW_BASE = int(ipaddress.IPv4Address("198.18.0.0"))
_OVERFLOW_HOSTS = 2**17 - 2


class AddressAllocator:
    """Hands out IPv4 and IPv6 addresses in order, so a seeded world is the same every time."""

    def __init__(self) -> None:
        self._v4 = 0
        self._v6 = 0

    def next_v4(self) -> str:
        n = self._v4
        self._v4 += 1
        if n < _DOC_HOSTS:
            block, host = divmod(n, _HOSTS_PER_BLOCK)
            value = _DOC_BLOCKS[block] + host + 1
        else:
            value = _OVERFLOW_BASE + (n - _DOC_HOSTS) % _OVERFLOW_HOSTS + 1
        return f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"

    def next_v6(self, datacenter_id: int) -> str:
        """An address in 2001:db8::/32, one /48 per datacenter."""
        self._v6 += 1
        return f"2001:db8:{datacenter_id:x}::{self._v6:x}"
