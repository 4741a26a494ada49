#!/usr/bin/env python3
"""The ranking of bench/rank in pandas: the same weights, caps and rank as
`rdlz rank --period 2026-11` (without categories, percentiles and
pro-rating), reading the same database.

usage: bench/rank-pandas.py DB > ranking.csv"""
import sqlite3
import sys

import pandas as pd

FROM, TO = 1793462400, 1796054400
db = sqlite3.connect(sys.argv[1])
records = pd.read_sql_query("SELECT deputy_id, kind, quantity FROM duty_record WHERE occurred_at >= ? AND occurred_at < ?",
                            db, params=(FROM, TO))
rules = pd.read_sql_query("SELECT kind, points, per, cap FROM rule WHERE version = 1", db)
deputies = pd.read_sql_query("SELECT id AS deputy_id, code, name, delegation FROM deputy WHERE code IS NOT NULL", db)
agg = records.groupby(["deputy_id", "kind"]).agg(n=("quantity", "size"), q=("quantity", "sum")).reset_index()
agg = agg.merge(rules, on="kind")
agg["p"] = agg["points"] * agg["n"].where(~agg["per"].isin(["hour", "minute"]),
                                          agg["q"].where(agg["per"] == "minute", agg["q"] / 60.0))
capped = agg["cap"].notna()
agg.loc[capped, "p"] = agg.loc[capped, "p"].clip(lower=-agg.loc[capped, "cap"], upper=agg.loc[capped, "cap"])
totals = agg.groupby("deputy_id")["p"].sum().round(2).rename("total")
board = deputies.merge(totals, on="deputy_id", how="left").fillna({"total": 0})
board["rank"] = board["total"].rank(method="min", ascending=False).astype(int)
board["index"] = (100 * board["total"] / board["total"].max()).round(2)
board.sort_values(["rank", "code"])[["rank", "code", "name", "delegation", "total", "index"]].to_csv(sys.stdout, index=False)
