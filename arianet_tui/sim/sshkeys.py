"""OpenSSH public keys: made from seeded random bytes, and checked when a client adds one."""

from __future__ import annotations

import base64
import binascii
import random
import struct

KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "ssh-rsa",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _mpint(data: bytes) -> bytes:
    data = data.lstrip(b"\x00")
    if data and data[0] & 0x80:
        data = b"\x00" + data
    return _string(data)


def ed25519_key(rng: random.Random, comment: str = "") -> str:
    """A well-formed ``ssh-ed25519`` public key line from 32 random bytes."""
    blob = _string(b"ssh-ed25519") + _string(rng.randbytes(32))
    return _line("ssh-ed25519", blob, comment)


def rsa_key(rng: random.Random, comment: str = "", bits: int = 2048) -> str:
    """A well-formed ``ssh-rsa`` public key line; the modulus is random, odd, full length."""
    modulus = bytearray(rng.randbytes(bits // 8))
    modulus[0] |= 0x80
    modulus[-1] |= 0x01
    blob = _string(b"ssh-rsa") + _mpint((65537).to_bytes(3, "big")) + _mpint(bytes(modulus))
    return _line("ssh-rsa", blob, comment)


def _line(key_type: str, blob: bytes, comment: str) -> str:
    encoded = base64.b64encode(blob).decode()
    return f"{key_type} {encoded} {comment}".rstrip()


def key_problem(line: str) -> str | None:
    """Why a text is not an OpenSSH public key line (``type base64 [comment]``), else None."""
    parts = line.strip().split(maxsplit=2)
    if len(parts) < 2:
        return "key must be 'type base64 [comment]'"
    key_type, encoded = parts[0], parts[1]
    if key_type not in KEY_TYPES:
        return f"unsupported key type {key_type!r}"
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return "key data is not valid base64"
    if len(blob) < 4:
        return "key data is too short"
    (length,) = struct.unpack(">I", blob[:4])
    if blob[4 : 4 + length] != key_type.encode():
        return "key data does not match its type"
    if len(blob) <= 4 + length:
        return "key data holds no key"
    return None
