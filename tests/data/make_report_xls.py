"""How tests/data/report.xls was made (run by hand; xlwt is not a dependency of bertdesk):

    pip install xlwt && python tests/data/make_report_xls.py

An Excel 97-2003 workbook as an office exports one: an empty first sheet, then a sheet with a
title and a date above the header, Chinese reviews, whole numbers stored as floats, a date, a
boolean and an error cell.
"""

from datetime import datetime
from pathlib import Path

import xlwt

REVIEWS = [
    ("味道不错，送餐也快，下次还点", "正面"), ("等了一个多小时，饭都凉了", "负面"),
    ("量很足，价格实惠", "正面"), ("太咸了，吃不下", "负面"), ("包装很用心，好评", "正面"),
    ("送错了，打电话也没人理", "负面"),
]

book = xlwt.Workbook(encoding="utf-8")
book.add_sheet("Sheet1")  # left empty
sheet = book.add_sheet("评论")
sheet.write_merge(0, 0, 0, 4, "2024年3月外卖评论导出")
sheet.write(1, 0, "导出日期：2024-04-01")
for column, name in enumerate(["序号", "评论", "标签", "下单时间", "已回复"]):
    sheet.write(2, column, name)
dates = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
for row, (text, label) in enumerate(REVIEWS, start=3):
    sheet.write(row, 0, float(row - 2))  # Excel keeps every number as a float
    sheet.write(row, 1, text)
    sheet.write(row, 2, label)
    sheet.write(row, 3, datetime(2024, 3, row, 12, 30), dates)
    sheet.write(row, 4, row % 2 == 0)
sheet.write(3 + len(REVIEWS), 1, xlwt.Formula("1/0"))  # an error cell: no text
book.save(str(Path(__file__).with_name("report.xls")))
