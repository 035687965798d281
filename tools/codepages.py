#!/usr/bin/env python3
"""Writes src/source/codepages.txt: the single-byte code pages that feeds
declare but the WHATWG Encoding Standard (encoding_rs) does not define —
DOS (cp437, cp850 …), EBCDIC (cp037, cp500 …), the Mac scripts, KOI8-T,
VISCII, TCVN — as tables from Python's codecs, which follow the Unicode
consortium's mapping files.

One line per code page: its labels (lower case, `_` for `-` and spaces),
comma-separated, a tab, then 256 code points in hex, four digits each,
for bytes 0x00-0xFF; FFFD marks a byte the code page does not define.

Run from the repository: python3 tools/codepages.py
"""

import codecs
import encodings.aliases

CODECS = [
    "cp037", "cp273", "cp424", "cp437", "cp500", "cp720", "cp737", "cp775",
    "cp850", "cp852", "cp855", "cp856", "cp857", "cp858", "cp860", "cp861",
    "cp862", "cp863", "cp864", "cp865", "cp869", "cp875", "cp1006",
    "cp1026", "cp1125", "cp1140", "hp_roman8", "koi8_t", "kz1048",
    "mac_arabic", "mac_croatian", "mac_farsi", "mac_greek", "mac_iceland",
    "mac_latin2", "mac_roman", "mac_romanian", "mac_turkish", "ptcp154",
    "tis_620", "mac_cyrillic", "cp1250", "cp1251", "cp1252", "cp1253",
    "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "koi8_r", "koi8_u",
    "cp866", "cp874",
]


def normal(label):
    return label.lower().replace("-", "_").replace(" ", "_")


def labels(name):
    found = {normal(name), normal(codecs.lookup(name).name)}
    for alias, target in encodings.aliases.aliases.items():
        try:
            same = codecs.lookup(target).name == codecs.lookup(name).name
        except LookupError:
            continue
        if same:
            found.add(normal(alias))
    return sorted(found)


def table(name):
    points = []
    for byte in range(256):
        try:
            points.append(ord(bytes([byte]).decode(name)))
        except UnicodeDecodeError:
            points.append(0xFFFD)
    return "".join(f"{p:04X}" for p in points)


def main():
    lines = []
    for name in CODECS:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        lines.append(",".join(labels(name)) + "\t" + table(name))
    with open("src/source/codepages.txt", "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
