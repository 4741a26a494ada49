#!/usr/bin/env python3
"""A deterministic join/leave log like a streaming service's export: for
each deputy code read from standard input, sessions of a working-day
event (09:00-17:00, with people joining from 08:45 and a few staying on
until 17:15), in shuffled order, until ROWS rows.

usage: bench/gen-log.py ROWS SEED < codes > log.csv"""
import random
import sys
from datetime import datetime, timedelta

rows, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
codes = [line.strip() for line in sys.stdin if line.strip()]
first, last = datetime(2026, 11, 20, 8, 45), datetime(2026, 11, 20, 17, 15)
span = int((last - first).total_seconds())
out = []
while len(out) < rows:
    for code in codes:
        a = first + timedelta(seconds=rng.randint(0, span))
        b = min(a + timedelta(seconds=rng.randint(0, 5400)), last)
        out.append(f"{code},{a:%Y-%m-%d %H:%M:%S},{b:%Y-%m-%d %H:%M:%S}\n")
        if len(out) == rows:
            break
rng.shuffle(out)
sys.stdout.write("code,joined_at,left_at\n")
sys.stdout.writelines(out)
