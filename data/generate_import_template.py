"""Write the customer import templates (CSV in data/, XLSX in the profile addon).

Run: python3 data/generate_import_template.py
"""

import csv
import importlib.util
import pathlib

import openpyxl

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "customer_import", ROOT / "beauty_customer_profile/tools/customer_import.py"
)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
HEADERS = [_module.LABELS[key] for key in _module.TEMPLATE_COLUMNS]
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

root = ROOT
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
