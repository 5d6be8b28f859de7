#!/usr/bin/env python3
"""`make bench` peer: the per-month, per-kind itemised fee sums and record counts
(the core of usage-mismatch and unused-period) with pandas.
usage: peer_pandas.py CSVDIR"""
import glob
import os
import sys

import pandas as pd

TIME = {"voice": "起始时间", "data": "起始时间", "sms": "起始时间", "broadband": "上线时间"}
FEE = "费用"


def main():
    d = sys.argv[1]
    out = []
    for kind, tcol in TIME.items():
        files = sorted(glob.glob(os.path.join(d, kind + "-*.csv")))
        if not files:
            continue
        cols = [tcol] if kind == "broadband" else [tcol, FEE]
        df = pd.concat((pd.read_csv(f, usecols=cols, dtype={tcol: str}) for f in files), ignore_index=True)
        if kind == "broadband":
            df[FEE] = 0.0
        df["month"] = df[tcol].str.slice(0, 7)
        g = df.groupby("month")[FEE].agg(["sum", "count"])
        g.insert(0, "kind", kind)
        out.append(g)
    print(pd.concat(out).to_string())


main()
