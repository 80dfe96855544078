#!/usr/bin/env python3
"""Fill a blank `jointplan template` workbook the way an office would, then save it with
openpyxl (another writer than libxlsxwriter): real date and time cells, lists with 、 , ;,
是/否, tier letters with 类, counts as 2次 and rates as 5%.

    jointplan template --quarter 2026Q2 -o blank.xlsx
    scripts/fill-template-example.py blank.xlsx filled.xlsx
    jointplan import filled.xlsx -o office.json
"""
import datetime
import sys

import openpyxl

src, dst = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(src)

towns = wb["街道"]
towns.append(["T02", "桃源镇"])
wb["路程时间"]["C1"] = "T02"
wb["路程时间"]["C2"] = 25

deps = wb["执法部门"]
deps.append(["XF", "区消防救援大队"])

ins = wb["执法人员"]
ins.append(["P003", "王强", "XF", "是", "2026-05-11至2026-05-15", None, "E00003"])
ins.append(["P004", "赵敏", "XF", "是", None, "3次", None])

items = wb["检查事项"]
items.append(["fire-general", "消防安全（一般单位）", "XF", "restaurant,retail;hotel", 20, "否", None, "否",
              "5%", "1次", "1次", "2次", 30])  # B: every B-tier enterprise, so E00002's pin names a required check

ents = wb["检查对象"]
ents.append(["E00002", "桃源宾馆", "T02", "hotel、restaurant", "B类", "否", "桃源镇中山路8号",
             "2026/5/1-2026/5/5".replace("-", "至"), 0])
ents.append(["E00003", "青山超市", "T02", "retail", "a", "是", "", None, 1])

last = wb["上次检查"]
last.append(["E00002", "fire-general", datetime.date(2026, 3, 2)])

pins = wb["预约检查"]
pins.append(["E00002", datetime.date(2026, 4, 21), datetime.time(14, 30), "P003", "fire-general"])

wb.save(dst)
