#!/usr/bin/env python3
"""Sets or removes UI texts in locales/{en,zh}.json, keeping the files' form (sorted keys,
one-space indent). Usage: scripts/locale.py set KEY "english" "中文"  |  scripts/locale.py rm KEY"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def update(change):
    for lang in ("en", "zh"):
        path = os.path.join(ROOT, "locales", f"{lang}.json")
        with open(path, encoding="utf-8") as f:
            table = json.load(f)
        change(lang, table)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(table, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    op, key = sys.argv[1], sys.argv[2]
    if op == "set":
        texts = {"en": sys.argv[3], "zh": sys.argv[4]}
        update(lambda lang, t: t.__setitem__(key, texts[lang]))
    elif op == "rm":
        update(lambda lang, t: t.pop(key, None))
    else:
        sys.exit(__doc__)
