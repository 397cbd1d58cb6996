"""Damage done to a data dir by hand, as bit rot or a failing disk would: shared by the
integrity, scrub and fault tests."""


def flip_byte(path, offset, mask=0x01):
    """Flips bits of the byte at `offset` of the file at `path` in place."""
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ mask]))
