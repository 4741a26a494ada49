#!/usr/bin/env python3
"""Check a roster CSV as gen-roster writes it: the header (English or
Chinese), ten fields a row, valid and unique phones, unique codes where
given, and a gender of 男 or 女. Python's csv module does the parsing, so
the generator's quoting is checked against a reader it did not write.

usage: bench/check-roster.py ROSTER.csv
"""
import csv
import re
import sys

HEADERS = (
    ["code", "name", "gender", "post", "unit", "delegation", "grid", "station", "phone", "email"],
    ["编号", "姓名", "性别", "职务", "工作单位", "代表团", "负责网格", "联络站", "联系电话", "邮箱"],
)
PHONE = re.compile(r"1[3-9]\d{9}", re.ASCII)


def main(path):
    # newline="" so the reader, not the file layer, handles CRLF and
    # line breaks inside quoted fields
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f, strict=True)
        header = next(rows, None)
        assert header in HEADERS, f"unexpected header: {header!r}"
        phones, codes = set(), set()
        n = 0
        for n, row in enumerate(rows, 1):
            where = f"{path}: row {n} (line {rows.line_num})"
            assert len(row) == 10, f"{where}: {len(row)} fields: {row!r}"
            code, name, gender, phone = row[0], row[1], row[2], row[8]
            assert name, f"{where}: no name"
            assert gender in ("男", "女"), f"{where}: gender {gender!r}"
            assert PHONE.fullmatch(phone), f"{where}: phone {phone!r}"
            assert phone not in phones, f"{where}: phone {phone} occurs twice"
            phones.add(phone)
            if code:
                assert code not in codes, f"{where}: code {code} occurs twice"
                codes.add(code)
    print(f"{n} rows ok")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1])
