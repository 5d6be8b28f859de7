#!/usr/bin/env python3
"""Greps every file of a bundle (argv[1]) — each part of each workbook inside included — for
the planted values listed in argv[2] ("class<TAB>value"): prints how many files hold each
(0 is the only right answer), then how many files show the masks given after "--" (a mask
shared by the copies and the documents shows the evidence still reads)."""
import os, sys, zipfile

bundle, listing, masks = sys.argv[1], sys.argv[2], sys.argv[3:]
texts = {}
for root, _, files in os.walk(bundle):
    for name in files:
        path = os.path.join(root, name)
        rel = os.path.relpath(path, bundle)
        data = open(path, "rb").read()
        if data[:2] == b"PK":
            with zipfile.ZipFile(path) as z:
                for part in z.namelist():
                    texts[f"{rel}!{part}"] = z.read(part).decode("utf-8", "replace")
        else:
            texts[rel] = data.decode("utf-8", "replace")
leaks = 0
for line in open(listing, encoding="utf-8"):
    cls, value = line.rstrip("\n").split("\t")
    hits = sorted(k for k, t in texts.items() if value in t)
    leaks += len(hits)
    print(f"{cls}: {len(hits)} file(s){': ' + ', '.join(hits) if hits else ''}")
print("files holding a planted value:", leaks)
for m in masks:
    files = sorted({k.split("!")[0] for k, t in texts.items() if m in t})
    print(f"mask {m}: {len(files)} file(s): {' '.join(files)}")
