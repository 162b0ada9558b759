"""Reading and checking a customer spreadsheet (CSV or XLSX) without the ORM.

The import wizard uses it to turn a file into clean rows or a list of row errors; nothing
here writes anything, so a file with a bad row never leaves half an import behind.
"""

import csv
import datetime
import io

import phonenumbers

# Canonical column -> accepted headers (Chinese and English, compared case-insensitively).
COLUMNS = {
    "name": ("姓名", "name", "customer name", "顾客姓名"),
    "phone": ("手机", "手机号", "电话", "phone", "mobile"),
    "phone_backup": ("备用电话", "backup phone"),
    "gender": ("性别", "gender"),
    "birthday": ("生日", "出生日期", "birthday", "date of birth"),
    "birth_year": ("出生年份", "birth year"),
    "occupation": ("职业", "occupation"),
    "wechat": ("微信", "微信号", "wechat", "wechat id"),
    "email": ("邮箱", "email"),
    "archive_date": ("建档日期", "archive opened", "archive date"),
    "referrer_phone": ("介绍人电话", "referrer phone"),
    "tags": ("标签", "tags"),
    "notes": ("备注", "notes"),
}
# Headers of the template, in the order of the template's columns.
LABELS = {
    "name": "姓名 / Name",
    "phone": "手机 / Phone",
    "phone_backup": "备用电话 / Backup phone",
    "gender": "性别 / Gender",
    "birthday": "生日 / Birthday",
    "birth_year": "出生年份 / Birth year",
    "occupation": "职业 / Occupation",
    "wechat": "微信 / WeChat",
    "email": "邮箱 / Email",
    "archive_date": "建档日期 / Archive opened",
    "referrer_phone": "介绍人电话 / Referrer phone",
    "tags": "标签 / Tags",
    "notes": "备注 / Notes",
}
GENDERS = {
    "女": "female",
    "female": "female",
    "f": "female",
    "男": "male",
    "male": "male",
    "m": "male",
    "其他": "other",
    "other": "other",
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%d/%m/%Y")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, missing column)."""


def _header_map(headers):
    lookup = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    mapping = {}
    for index, header in enumerate(headers):
        text = str(header or "").strip()
        # "姓名 / Name" style headers: any part may match.
        for part in [text, *text.replace("／", "/").split("/")]:
            key = lookup.get(part.strip().lower())
            if key:
                mapping[index] = key
                break
    return mapping


def read_table(content, filename):
    """Return the rows of a CSV or XLSX file as lists of cell values (header first)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        import openpyxl  # noqa: PLC0415 - only needed for spreadsheets

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # any unreadable workbook
            raise ImportFileError("unreadable") from exc
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError("encoding")
        return list(csv.reader(io.StringIO(text)))
    raise ImportFileError("format")


def parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def normalize_phone(value, region):
    """E.164 form of a phone number, or raise ValueError."""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(text) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _check_phones(row, raw, region, seen_phones, errors):
    for key in ("phone", "phone_backup", "referrer_phone"):
        value = raw.get(key)
        if value in (None, ""):
            if key == "phone":
                errors.append((row["row"], key, "required", ""))
            continue
        try:
            row[key] = normalize_phone(value, region)
        except ValueError:
            errors.append((row["row"], key, "phone", str(value)))
    if row.get("phone"):
        first = seen_phones.setdefault(row["phone"], row["row"])
        if first != row["row"]:
            errors.append((row["row"], "phone", "duplicate_in_file", str(first)))


def _check_dates(row, raw, today, errors):
    for key in ("birthday", "archive_date"):
        try:
            value = parse_date(raw.get(key))
        except ValueError as exc:
            errors.append((row["row"], key, "date", str(exc)))
            continue
        if value and value > today:
            errors.append((row["row"], key, "future", value.isoformat()))
        elif value:
            row[key] = value
    year = raw.get("birth_year")
    if year in (None, ""):
        return
    try:
        year_value = int(float(year))
    except ValueError:
        year_value = 0
    if 1900 <= year_value <= today.year:
        row["birth_year"] = year_value
    else:
        errors.append((row["row"], "birth_year", "year", str(year)))


def _check_choices(row, raw, errors):
    gender = str(raw.get("gender") or "").strip().lower()
    if gender:
        if gender in GENDERS:
            row["gender"] = GENDERS[gender]
        else:
            errors.append((row["row"], "gender", "gender", gender))
    for key in ("occupation", "wechat", "email", "notes"):
        value = str(raw.get(key) or "").strip()
        if value:
            row[key] = value
    tags = str(raw.get("tags") or "").replace("，", ",")
    row["tags"] = [tag.strip() for tag in tags.split(",") if tag.strip()]


def check_rows(table, region, today):
    """Check every data row. Return ``(rows, errors)``.

    ``rows`` are dicts of clean values with their spreadsheet row number under ``row``;
    ``errors`` are ``(row number, column key, code, value)`` tuples, every problem of every
    row, so the user can mend the whole file at once. Codes: required, phone, date, future,
    gender, year, duplicate_in_file.
    """
    if not table:
        raise ImportFileError("empty")
    mapping = _header_map(table[0])
    if "name" not in mapping.values() or "phone" not in mapping.values():
        raise ImportFileError("columns")
    rows, errors, seen_phones = [], [], {}
    for offset, cells in enumerate(table[1:], start=2):
        raw = {key: cells[index] for index, key in mapping.items() if index < len(cells)}
        if all(value in (None, "") for value in raw.values()):
            continue
        row = {"row": offset, "name": str(raw.get("name") or "").strip()}
        if not row["name"]:
            errors.append((offset, "name", "required", ""))
        _check_phones(row, raw, region, seen_phones, errors)
        _check_choices(row, raw, errors)
        _check_dates(row, raw, today, errors)
        rows.append(row)
    return rows, errors
