#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Regression inputs are stored as hex text (the repository holds no binary blobs):
SRC_DIR/NAME.hex becomes OUT_DIR/NAME. Whitespace is ignored, and so are lines that
start with '#'. Make one with: python3 hex2bin.py --encode INPUT > NAME.hex"""
import pathlib
import sys


def decode(text):
    digits = "".join(
        "".join(line.split()) for line in text.splitlines() if not line.lstrip().startswith("#")
    )
    return bytes.fromhex(digits)


def main(argv):
    if len(argv) == 3 and argv[1] == "--encode":
        data = pathlib.Path(argv[2]).read_bytes()
        hexed = data.hex()
        for i in range(0, len(hexed), 64):
            print(hexed[i : i + 64])
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        print("usage: hex2bin.py SRC_DIR OUT_DIR | hex2bin.py --encode FILE", file=sys.stderr)
        return 2
    src, out = pathlib.Path(argv[1]), pathlib.Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    for hexfile in sorted(src.glob("*.hex")):
        try:
            data = decode(hexfile.read_text(encoding="ascii"))
        except ValueError as e:
            print(f"{hexfile}: not hex: {e}", file=sys.stderr)
            return 1
        (out / hexfile.stem).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
