"""Reading and checking a customer spreadsheet (CSV or XLSX) without the ORM.

The import wizard uses it to turn a file into clean rows or a list of row errors; nothing
here writes anything, so a file with a bad row never leaves half an import behind.
"""

import csv
import datetime
import io
import re
import unicodedata

import phonenumbers

# Canonical column -> accepted headers (Chinese and English, compared case-insensitively).
COLUMNS = {
    "name": ("姓名", "name", "customer name", "顾客姓名", "客户姓名", "会员姓名", "顾客"),
    "phone": (
        "手机",
        "手机号",
        "手机号码",
        "电话",
        "联系电话",
        "电话号码",
        "phone",
        "mobile",
        "mobile phone",
    ),
    "phone_backup": ("备用电话", "backup phone"),
    "gender": ("性别", "gender"),
    "birthday": ("生日", "出生日期", "出生年月", "birthday", "date of birth"),
    "birth_year": ("出生年份", "birth year"),
    "occupation": ("职业", "occupation"),
    "wechat": ("微信", "微信号", "wechat", "wechat id"),
    "email": ("邮箱", "email"),
    "archive_date": (
        "建档日期",
        "建档时间",
        "开卡日期",
        "入会日期",
        "archive opened",
        "archive date",
    ),
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
    "male": "male",
    "m": "male",
    "女士": "female",
    "女性": "female",
    "男": "male",
    "先生": "male",
    "男性": "male",
    "其他": "other",
    "other": "other",
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%d/%m/%Y")
# A header row is looked for among the first rows: real exports put a title above it.
HEADER_SEARCH_ROWS = 10
# Separators people type inside phone numbers.
PHONE_SEPARATORS = re.compile(r"[\s\-()（）.·]")
YEAR_ONLY = re.compile(r"^(\d{2}|\d{4})\s*年?$")
MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?$")


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


def find_header(table):
    """``(index, mapping)`` of the header row: the first of the first rows that names the
    name and phone columns. Titles and blank rows above it are skipped."""
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        mapping = _header_map(cells)
        if {"name", "phone"} <= set(mapping.values()):
            return index, mapping
    raise ImportFileError("columns")


def clean_text(value):
    """The cell as text, full-width characters folded (１３８ → 138, （ → (), trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


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


def _strptime(text):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value)
    date = _strptime(text)
    if date is None:
        raise ValueError(text)
    return date


def parse_birthday(value, today):
    """Read a birthday cell. Return ``(date, year, note)``: a full date, or only a year
    (``85年``, ``1985``), or neither with the cell kept as a note for a person to read
    (``3月8日`` has no year). Raise ValueError for what is no date at all (``去年``)."""
    text = clean_text(value)
    if not text:
        return None, None, None
    if isinstance(value, datetime.date):
        return parse_date(value), None, None
    date = _strptime(text)
    if date:
        return date, None, None
    year_match = YEAR_ONLY.match(text)
    if year_match:
        year = int(year_match.group(1))
        if year < 100:
            year += 1900 if year > today.year % 100 else 2000
        return None, year, None
    month_day = MONTH_DAY.match(text)
    if month_day and 1 <= int(month_day.group(1)) <= 12 and 1 <= int(month_day.group(2)) <= 31:
        return None, None, text
    raise ValueError(text)


def normalize_phone(value, region):
    """E.164 form of a phone number, or raise ValueError. Full-width digits, spaces,
    dashes and brackets are accepted (``１３８-0013 8000``, ``+86-139-0000-1111``)."""
    text = PHONE_SEPARATORS.sub("", clean_text(value))
    if text.startswith("0086"):
        text = "+86" + text[4:]
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


def _check_dates(row, raw, today, errors, warnings):
    try:
        birthday, year, note = parse_birthday(raw.get("birthday"), today)
    except ValueError as exc:
        errors.append((row["row"], "birthday", "date", str(exc)))
        birthday = year = note = None
    if birthday and birthday > today:
        errors.append((row["row"], "birthday", "future", birthday.isoformat()))
    elif birthday:
        row["birthday"] = birthday
    elif year:
        row["birth_year"] = year
        warnings.append((row["row"], "birthday", "year_only", str(year)))
    elif note:
        row["notes_extra"].append(f"{LABELS['birthday']}: {note}")
        warnings.append((row["row"], "birthday", "kept_in_notes", note))
    archive = raw.get("archive_date")
    try:
        value = parse_date(archive)
    except ValueError:
        # "去年", "老顾客": not a date; the archive date becomes the import date.
        row["notes_extra"].append(f"{LABELS['archive_date']}: {clean_text(archive)}")
        warnings.append((row["row"], "archive_date", "kept_in_notes", clean_text(archive)))
        value = None
    if value and value > today:
        errors.append((row["row"], "archive_date", "future", value.isoformat()))
    elif value:
        row["archive_date"] = value
    year = raw.get("birth_year")
    if year in (None, ""):
        return
    try:
        year_value = int(float(clean_text(year).rstrip("年")))
    except ValueError:
        year_value = 0
    if 1900 <= year_value <= today.year:
        row["birth_year"] = year_value
    else:
        errors.append((row["row"], "birth_year", "year", str(year)))


def _check_choices(row, raw, errors):
    gender = clean_text(raw.get("gender")).lower()
    if gender:
        if gender in GENDERS:
            row["gender"] = GENDERS[gender]
        else:
            errors.append((row["row"], "gender", "gender", gender))
    for key in ("occupation", "wechat", "email", "notes"):
        value = clean_text(raw.get(key))
        if value:
            row[key] = value
    tags = clean_text(raw.get("tags")).replace("、", ",").replace(";", ",")
    row["tags"] = [tag.strip() for tag in tags.split(",") if tag.strip()]


def check_rows(table, region, today):
    """Check every data row. Return ``(rows, errors, warnings)``.

    ``rows`` are dicts of clean values with their spreadsheet row number under ``row``;
    ``errors`` are ``(row number, column key, code, value)`` tuples, every problem of every
    row, so the user can mend the whole file at once. Codes: required, phone, date, future,
    gender, year, duplicate_in_file. ``warnings`` have the same shape and say what was
    read differently from the cell, without stopping the import: year_only (a birthday
    with only a year), kept_in_notes (a value that is no full date, kept in the notes),
    blank (a row without name and phone, skipped).
    """
    if not table:
        raise ImportFileError("empty")
    header_index, mapping = find_header(table)
    rows, errors, warnings, seen_phones = [], [], [], {}
    for offset, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        raw = {key: cells[index] for index, key in mapping.items() if index < len(cells)}
        if not clean_text(raw.get("name")) and not clean_text(raw.get("phone")):
            if any(clean_text(value) for value in raw.values()):
                warnings.append((offset, "name", "blank", ""))
            continue
        row = {"row": offset, "name": clean_text(raw.get("name")), "notes_extra": []}
        if not row["name"]:
            errors.append((offset, "name", "required", ""))
        _check_phones(row, raw, region, seen_phones, errors)
        _check_choices(row, raw, errors)
        _check_dates(row, raw, today, errors, warnings)
        if row["notes_extra"]:
            row["notes"] = "\n".join(filter(None, [row.get("notes"), *row["notes_extra"]]))
        rows.append(row)
    return rows, errors, warnings
