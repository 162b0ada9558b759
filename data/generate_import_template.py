"""Write the customer import templates (CSV in data/, XLSX in the profile addon).

Run: python3 data/generate_import_template.py
"""

import csv
import pathlib

import openpyxl

HEADERS = [
    "姓名 / Name",
    "手机 / Phone",
    "备用电话 / Backup phone",
    "性别 / Gender",
    "生日 / Birthday",
    "出生年份 / Birth year",
    "职业 / Occupation",
    "微信 / WeChat",
    "邮箱 / Email",
    "建档日期 / Archive opened",
    "介绍人电话 / Referrer phone",
    "标签 / Tags",
    "备注 / Notes",
]
EXAMPLE = [
    "王丽",
    "13812345678",
    "",
    "女",
    "1990-05-12",
    "",
    "教师",
    "wangli_1990",
    "wangli@example.com",
    "2024-03-01",
    "",
    "VIP",
    "对香精过敏，先做皮试",
]

root = pathlib.Path(__file__).resolve().parent.parent
with open(root / "data/customer_import_template.csv", "w", encoding="utf-8-sig", newline="") as fh:
    writer = csv.writer(fh)
    writer.writerow(HEADERS)
    writer.writerow(EXAMPLE)
book = openpyxl.Workbook()
sheet = book.active
sheet.title = "顾客 Customers"
sheet.append(HEADERS)
sheet.append(EXAMPLE)
for column in sheet.columns:
    sheet.column_dimensions[column[0].column_letter].width = 18
book.save(root / "beauty_customer_profile/static/import/customer_import_template.xlsx")
print("templates written")
