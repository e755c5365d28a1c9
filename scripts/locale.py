#!/usr/bin/env python3
"""Sets or removes UI texts in locales/, keeping the files' form (sorted keys, one-space indent).

    scripts/locale.py set KEY "english" "中文" [--first]  |  scripts/locale.py rm KEY

Each key lives in one part (src/i18n.rs): {en,zh}.json, what the first load (sign-in page,
shell) shows, or {en,zh}.pages.json, the signed-in pages' texts. `set` changes a key where it
is; a new key goes to the pages' part unless --first is given."""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTS = ("{lang}.json", "{lang}.pages.json")


def load(lang, part):
    with open(os.path.join(ROOT, "locales", part.format(lang=lang)), encoding="utf-8") as f:
        return json.load(f)


def save(lang, part, table):
    with open(os.path.join(ROOT, "locales", part.format(lang=lang)), "w", encoding="utf-8") as f:
        json.dump(table, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


def part_of(key, first):
    for part in PARTS:
        if key in load("en", part):
            return part
    return PARTS[0] if first else PARTS[1]


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    op, key = sys.argv[1], sys.argv[2]
    if op == "set" and len(sys.argv) >= 5:
        part = part_of(key, "--first" in sys.argv)
        for lang, text in (("en", sys.argv[3]), ("zh", sys.argv[4])):
            table = load(lang, part)
            table[key] = text
            save(lang, part, table)
    elif op == "rm":
        for part in PARTS:
            for lang in ("en", "zh"):
                table = load(lang, part)
                if table.pop(key, None) is not None:
                    save(lang, part, table)
    else:
        sys.exit(__doc__)
