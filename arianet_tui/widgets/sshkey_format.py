"""OpenSSH public keys: reading a pasted line, refusing what is not one, and fingerprints.

A public key line is ``type base64-blob [comment]``. The blob starts with the key type again,
followed by the key material; the fingerprint is the SHA-256 of the blob, printed as
``ssh-keygen -l`` does (``SHA256:`` and unpadded base64). Nothing here needs Textual.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Key types the API accepts, with the label ``ssh-keygen -l`` prints for each.
KEY_TYPES: dict[str, str] = {
    "ssh-ed25519": "ED25519",
    "ssh-rsa": "RSA",
    "ecdsa-sha2-nistp256": "ECDSA",
    "ecdsa-sha2-nistp384": "ECDSA",
    "ecdsa-sha2-nistp521": "ECDSA",
    "sk-ssh-ed25519@openssh.com": "ED25519-SK",
    "sk-ecdsa-sha2-nistp256@openssh.com": "ECDSA-SK",
}
_CURVE_BITS = {"nistp256": 256, "nistp384": 384, "nistp521": 521}
_CURVES = {
    "ecdsa-sha2-nistp256": "nistp256",
    "ecdsa-sha2-nistp384": "nistp384",
    "ecdsa-sha2-nistp521": "nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com": "nistp256",
}
#: A public key file is a line or two; anything much bigger is not one.
MAX_FILE_BYTES = 16_384

PRIVATE_KEY_REFUSAL = (
    "This is a private key. It must never leave this machine: paste the public key "
    "instead (the .pub file next to it, or the output of ssh-keygen -y -f KEYFILE)."
)


class KeyFormatError(ValueError):
    """The text is not an OpenSSH public key line; the message says why and what to do."""


class PrivateKeyError(KeyFormatError):
    """The text holds a private key, which is refused outright."""


@dataclass(frozen=True)
class PublicKey:
    """One parsed public key line."""

    key_type: str
    blob: bytes
    comment: str
    bits: int | None

    @property
    def label(self) -> str:
        """``ED25519``, ``RSA``, ``ECDSA``… as ``ssh-keygen -l`` names the type."""
        return KEY_TYPES.get(self.key_type, self.key_type)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.blob)

    @property
    def summary(self) -> str:
        """``ED25519 256``: the type and size for a table cell."""
        return f"{self.label} {self.bits}" if self.bits else self.label

    @property
    def line(self) -> str:
        """The key as one normalised line, the way it is sent to the API."""
        encoded = base64.b64encode(self.blob).decode("ascii")
        return f"{self.key_type} {encoded} {self.comment}".rstrip()


def fingerprint(blob: bytes) -> str:
    """``SHA256:…`` of a key blob, exactly as ``ssh-keygen -l`` prints it."""
    digest = hashlib.sha256(blob).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def looks_private(text: str) -> bool:
    """True for PEM/OpenSSH private key blocks and PuTTY private key files."""
    upper = text.upper()
    return "PRIVATE KEY" in upper or "PUTTY-USER-KEY-FILE" in upper


def parse_public_key(text: str) -> PublicKey:
    """Read a pasted public key line; raises :class:`KeyFormatError` saying what is wrong."""
    if looks_private(text):
        raise PrivateKeyError(PRIVATE_KEY_REFUSAL)
    stripped = text.strip()
    if not stripped:
        raise KeyFormatError("Paste a public key, such as the contents of ~/.ssh/id_ed25519.pub.")
    if stripped.startswith("---- BEGIN SSH2 PUBLIC KEY"):
        raise KeyFormatError(
            "This is an SSH2 (RFC 4716) key; convert it first: ssh-keygen -i -f FILE"
        )
    lines = [line for line in stripped.splitlines() if line.strip()]
    if len(lines) > 1:
        raise KeyFormatError("Paste one key at a time: one line, 'type base64 [comment]'.")

    parts = stripped.split(maxsplit=2)
    key_type = parts[0]
    if key_type not in KEY_TYPES:
        known = ", ".join(sorted(k for k in KEY_TYPES if not k.startswith("sk-")))
        raise KeyFormatError(f"Unknown key type {key_type[:40]!r}; expected one of {known}.")
    if len(parts) < 2:
        raise KeyFormatError(f"The {key_type} key has no key data after its type.")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise KeyFormatError(
            "The key data is not valid base64; copy the whole line again."
        ) from None

    bits = _check_blob(key_type, blob)
    comment = parts[2].strip() if len(parts) > 2 else ""
    return PublicKey(key_type=key_type, blob=blob, comment=comment, bits=bits)


def key_problem(text: str) -> str | None:
    """Why ``text`` cannot be added as a public key, or None when it can."""
    try:
        parse_public_key(text)
    except KeyFormatError as error:
        return str(error)
    return None


@lru_cache(maxsize=1024)
def describe(line: str) -> PublicKey | None:
    """The parsed key of a line from the API (parsed once), or None when it is unreadable."""
    try:
        return parse_public_key(line)
    except KeyFormatError:
        return None


def public_key_files(home: Path | None = None) -> list[Path]:
    """The ``~/.ssh/*.pub`` files, by name; an absent folder gives an empty list."""
    folder = (home or Path.home()) / ".ssh"
    try:
        return sorted(p for p in folder.glob("*.pub") if p.is_file())
    except OSError:
        return []


def read_key_file(path: Path) -> str:
    """The text of a public key file; raises KeyFormatError when it cannot be one."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise KeyFormatError(f"Cannot read {path}: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise KeyFormatError(f"{path.name} is too big to be a public key.")
    text = data.decode("utf-8", "replace")
    if looks_private(text):
        raise PrivateKeyError(PRIVATE_KEY_REFUSAL)
    return text.strip()


# -- the key blob --------------------------------------------------------------------------


class _Reader:
    """Reads the length-prefixed fields of an SSH key blob."""

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self.at = 0

    def field(self) -> bytes:
        if self.at + 4 > len(self.blob):
            raise KeyFormatError("The key data is cut short; copy the whole line again.")
        (length,) = struct.unpack(">I", self.blob[self.at : self.at + 4])
        start = self.at + 4
        if start + length > len(self.blob):
            raise KeyFormatError("The key data is cut short; copy the whole line again.")
        self.at = start + length
        return self.blob[start : self.at]


def _check_blob(key_type: str, blob: bytes) -> int | None:
    """Check the blob holds a ``key_type`` key; return its size in bits where known."""
    reader = _Reader(blob)
    embedded = reader.field()
    if embedded != key_type.encode("ascii"):
        shown = embedded[:40].decode("ascii", "replace")
        raise KeyFormatError(
            f"The key data says it is {shown!r}, not {key_type}; the line was changed."
        )
    if key_type in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
        if len(reader.field()) != 32:
            raise KeyFormatError("An ed25519 key holds 32 bytes; this one does not.")
        return 256
    if key_type == "ssh-rsa":
        reader.field()  # the public exponent
        modulus = int.from_bytes(reader.field(), "big")
        if modulus.bit_length() < 1024:
            raise KeyFormatError("This RSA key is shorter than 1024 bits; make a new key.")
        return modulus.bit_length()
    curve = reader.field().decode("ascii", "replace")
    if curve != _CURVES[key_type]:
        raise KeyFormatError(f"The key names the curve {curve[:20]!r}, not {_CURVES[key_type]}.")
    if not reader.field():
        raise KeyFormatError("The key data holds no key.")
    return _CURVE_BITS[curve]
