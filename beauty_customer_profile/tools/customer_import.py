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
    "skin_type": ("肤质", "皮肤类型", "skin type"),
    "concerns": ("皮肤问题", "皮肤状况", "皮肤困扰", "skin concerns", "concerns"),
    "allergies": ("过敏史", "过敏", "过敏情况", "过敏原", "allergies"),
    "tier": ("会员等级", "等级", "会员级别", "卡类型", "membership tier", "tier"),
    "balance": ("卡内余额", "储值余额", "余额", "stored value", "balance"),
    "sessions": ("剩余次数", "剩余疗程", "remaining sessions"),
    "referrer_name": ("介绍人", "推荐人", "referrer"),
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
    "skin_type": "肤质 / Skin type",
    "concerns": "皮肤问题 / Skin concerns",
    "allergies": "过敏史 / Allergies",
    "tier": "会员等级 / Tier",
    "balance": "卡内余额 / Stored value",
    "sessions": "剩余次数 / Remaining sessions",
    "referrer_name": "介绍人 / Referrer",
}
# Columns of the template (the others are recognised in a shop's own export).
TEMPLATE_COLUMNS = (
    "name",
    "phone",
    "phone_backup",
    "gender",
    "birthday",
    "birth_year",
    "occupation",
    "wechat",
    "email",
    "archive_date",
    "referrer_phone",
    "tags",
    "notes",
)
# Words shops use for a skin type -> our skin type (after NFKC folding, lower case).
SKIN_TYPE_SYNONYMS = {
    "dry": ("干性", "干性肌", "干皮", "干性皮肤", "偏干", "dry"),
    "oily": ("油性", "油性肌", "油皮", "油性皮肤", "偏油", "oily"),
    "combination": (
        "混合",
        "混合性",
        "混合肌",
        "混合皮",
        "混合性皮肤",
        "混合偏油",
        "混合偏干",
        "混油",
        "混干",
        "combination",
    ),
    "sensitive": ("敏感", "敏感肌", "敏感性", "敏感皮", "敏感性皮肤", "sensitive"),
    "normal": ("中性", "中性肌", "中性皮肤", "正常", "normal"),
}
# Words for a skin concern -> our concern type.
CONCERN_SYNONYMS = {
    "spots": ("色斑", "斑", "雀斑", "黄褐斑", "晒斑", "色素沉着", "spots", "pigmentation"),
    "acne": ("痘痘", "痤疮", "粉刺", "闭口", "暗疮", "痘印", "acne"),
    "sensitivity": ("敏感", "泛红", "红血丝", "过敏肌", "sensitivity", "redness"),
    "wrinkles": ("皱纹", "细纹", "鱼尾纹", "法令纹", "抬头纹", "wrinkles", "fine lines"),
    "sagging": ("松弛", "下垂", "sagging"),
    "dehydration": ("缺水", "干燥", "脱皮", "dehydration", "dryness"),
    "dullness": ("暗沉", "肤色不均", "发黄", "dullness"),
}
# An allergy cell that says "none".
NO_ALLERGY = ("无", "没有", "无过敏", "否", "none", "no", "n/a", "-", "/")
LIST_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
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
    if name.endswith(".xls"):
        import xlrd  # noqa: PLC0415 - only needed for old spreadsheets

        try:
            book = xlrd.open_workbook(file_contents=content)
        except Exception as exc:  # any unreadable workbook
            raise ImportFileError("unreadable") from exc
        sheet = book.sheet_by_index(0)
        rows = []
        for index in range(sheet.nrows):
            cells = []
            for cell in sheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                else:
                    cells.append(cell.value)
            rows.append(cells)
        return rows
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


def parse_amount(value):
    """A money amount as a float: ``￥800``, ``"3,500.00"``, ``800元``, ``RMB 1 200``.
    Raise ValueError for what is no amount or is negative."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        amount = float(value)
    else:
        text = clean_text(value)
        for sign in ("¥", "￥", "rmb", "cny", "元", ",", " "):
            text = text.lower().replace(sign, "")
        try:
            amount = float(text)
        except ValueError:
            raise ValueError(clean_text(value)) from None
    if amount < 0:
        raise ValueError(str(value))
    return round(amount, 2)


def parse_count(value):
    """A whole number of sessions: ``5``, ``5.0``, ``五``, ``十二``, ``5次``.
    Raise ValueError otherwise."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise ValueError(str(value))
    text = clean_text(value)
    for suffix in ("次", "个", "回"):
        text = text.removesuffix(suffix)
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CHINESE_DIGITS and ch not in CHINESE_UNITS for ch in text):
        raise ValueError(clean_text(value))
    total = section = digit = 0
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif CHINESE_UNITS[char] == 10000:
            total += (section + digit) * 10000
            section = digit = 0
        else:
            # "十二": a unit with no digit before it counts once.
            section += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
    return total + section + digit


def split_list(value):
    """The items of a cell listing several things: ``松弛、细纹``, ``毛孔粗大;暗沉``."""
    return [item for item in LIST_SEPARATORS.split(clean_text(value)) if item]


def _lookup(synonyms):
    return {word.lower(): key for key, words in synonyms.items() for word in words}


def parse_skin_type(value):
    """Our skin type for a shop's word (``敏感肌`` -> sensitive, ``混合偏油`` ->
    combination), ``None`` for an empty cell; ValueError for a word we do not know."""
    text = clean_text(value).lower()
    if not text:
        return None
    key = _lookup(SKIN_TYPE_SYNONYMS).get(text)
    if key is None:
        raise ValueError(clean_text(value))
    return key


def parse_concerns(value):
    """``(concern types, words not understood)`` of a cell listing skin concerns. A word
    matches a concern when it is a synonym or contains one (``毛孔粗大`` contains none and
    is not understood; ``细纹多`` contains 细纹)."""
    lookup = _lookup(CONCERN_SYNONYMS)
    # Longest synonyms first, so that 过敏肌 wins over a shorter word inside it.
    words = sorted(lookup, key=len, reverse=True)
    found, unknown = [], []
    for item in split_list(value):
        text = item.lower()
        key = lookup.get(text) or next((lookup[word] for word in words if word in text), None)
        if key is None:
            unknown.append(item)
        elif key not in found:
            found.append(key)
    return found, unknown


def parse_allergies(value, allergens):
    """``(allergen ids, texts not matched)`` of a free-text allergy cell
    (``海鲜过敏，青霉素过敏``, ``对酒精类护肤品过敏``, ``无``). ``allergens`` maps each known
    allergen name (in every language) to its id; an item matches the allergen whose name
    it contains (the longest such name)."""
    text = clean_text(value)
    if not text or text.lower() in NO_ALLERGY:
        return [], []
    names = sorted(
        ((name.lower(), key) for name, key in allergens.items() if name),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    found, unknown = [], []
    for item in split_list(text):
        lowered = item.lower()
        if lowered in NO_ALLERGY:
            continue
        key = next((key for name, key in names if name in lowered), None)
        if key is None:
            unknown.append(item)
        elif key not in found:
            found.append(key)
    return found, unknown


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


def _check_phones(row, raw, region, errors):
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


def _check_profile(row, raw, errors, warnings):
    """Skin, allergies, the shop's own tier and opening balances."""
    skin_notes = []
    try:
        skin_type = parse_skin_type(raw.get("skin_type"))
    except ValueError as exc:
        skin_type = None
        skin_notes.append(f"{LABELS['skin_type']}: {exc}")
        warnings.append((row["row"], "skin_type", "skin_unknown", str(exc)))
    if skin_type:
        row["skin_type"] = skin_type
    concerns, unknown = parse_concerns(raw.get("concerns"))
    if concerns:
        row["concerns"] = concerns
    if unknown:
        skin_notes.append(f"{LABELS['concerns']}: {'、'.join(unknown)}")
        warnings.append((row["row"], "concerns", "skin_unknown", "、".join(unknown)))
    if skin_notes:
        row["skin_notes"] = "\n".join(skin_notes)
    allergies = clean_text(raw.get("allergies"))
    if allergies:
        row["allergies"] = allergies
    referrer = clean_text(raw.get("referrer_name"))
    if referrer:
        row["referrer_name"] = referrer
    tier = clean_text(raw.get("tier"))
    if tier:
        row["tier"] = tier
    for key, parse in (("balance", parse_amount), ("sessions", parse_count)):
        value = raw.get(key)
        if value in (None, "") or not clean_text(value):
            continue
        try:
            row[key] = parse(value)
        except ValueError as exc:
            errors.append((row["row"], key, "amount" if key == "balance" else "count", str(exc)))


def _merge_duplicate(first, row, warnings):
    """The same customer on two rows (same phone, same name): the later row fills what the
    first left empty; notes and tags are added."""
    for key, value in row.items():
        if key in ("row", "notes_extra") or value in (None, "", []):
            continue
        if key == "tags":
            first["tags"] = list(dict.fromkeys(first.get("tags", []) + value))
        elif key == "notes" and first.get("notes") and value not in first["notes"]:
            first["notes"] = f"{first['notes']}\n{value}"
        elif key == "concerns":
            first["concerns"] = list(dict.fromkeys(first.get("concerns", []) + value))
        elif first.get(key) in (None, "", []):
            first[key] = value
    warnings.append((row["row"], "phone", "merged", str(first["row"])))


def check_rows(table, region, today, keep_unmapped=True):
    """Check every data row. Return ``(rows, errors, warnings)``.

    ``rows`` are dicts of clean values with their spreadsheet row number under ``row``;
    ``errors`` are ``(row number, column key, code, value)`` tuples, every problem of every
    row, so the user can mend the whole file at once. Codes: required, phone, date, future,
    gender, year, amount, count, duplicate_in_file (the same phone under another name).
    ``warnings`` have the same shape and say what was read differently from the cell,
    without stopping the import: year_only (a birthday with only a year), kept_in_notes (a
    value that is no full date, kept in the notes), blank (a row without name and phone,
    skipped), merged (the same customer again, merged into her first row), skin_unknown
    (skin words we do not know, kept in the skin profile's notes), unmapped_kept /
    unmapped_ignored (a column we do not know, on the header row: its values are kept in
    the customer's notes when ``keep_unmapped``, otherwise ignored).
    """
    if not table:
        raise ImportFileError("empty")
    header_index, mapping = find_header(table)
    headers = table[header_index]
    unmapped = {
        index: clean_text(header)
        for index, header in enumerate(headers)
        if index not in mapping and clean_text(header)
    }
    rows, errors, seen_phones = [], [], {}
    code = "unmapped_kept" if keep_unmapped else "unmapped_ignored"
    warnings = [(header_index + 1, header, code, header) for header in unmapped.values()]
    for offset, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        raw = {key: cells[index] for index, key in mapping.items() if index < len(cells)}
        if not clean_text(raw.get("name")) and not clean_text(raw.get("phone")):
            if any(clean_text(value) for value in raw.values()):
                warnings.append((offset, "name", "blank", ""))
            continue
        row = {"row": offset, "name": clean_text(raw.get("name")), "notes_extra": []}
        if not row["name"]:
            errors.append((offset, "name", "required", ""))
        _check_phones(row, raw, region, errors)
        _check_choices(row, raw, errors)
        _check_dates(row, raw, today, errors, warnings)
        _check_profile(row, raw, errors, warnings)
        if keep_unmapped:
            row["notes_extra"] += [
                f"{header}: {clean_text(cells[index])}"
                for index, header in unmapped.items()
                if index < len(cells) and clean_text(cells[index])
            ]
        if row["notes_extra"]:
            row["notes"] = "\n".join(filter(None, [row.get("notes"), *row["notes_extra"]]))
        first = seen_phones.get(row.get("phone")) if row.get("phone") else None
        if first is None:
            if row.get("phone"):
                seen_phones[row["phone"]] = row
            rows.append(row)
        elif first["name"] == row["name"]:
            _merge_duplicate(first, row, warnings)
        else:
            errors.append((offset, "phone", "duplicate_in_file", str(first["row"])))
            rows.append(row)
    return rows, errors, warnings
