import datetime

import pytest

TODAY = datetime.date(2026, 11, 23)
HEADER = [
    "姓名 / Name",
    "手机 / Phone",
    "性别 / Gender",
    "生日 / Birthday",
    "出生年份 / Birth year",
]


def test_headers_in_chinese_or_english(customer_import):
    rows, errors = customer_import.check_rows(
        [["Name", "手机", "性别"], ["王丽", "13812345678", "女"]], "CN", TODAY
    )
    assert errors == []
    assert rows[0]["name"] == "王丽"
    assert rows[0]["phone"] == "+8613812345678"
    assert rows[0]["gender"] == "female"


def test_every_bad_row_is_reported(customer_import):
    table = [
        HEADER,
        ["王丽", "13812345678", "女", "1990-05-12", ""],
        ["", "12345", "x", "2030-01-01", ""],
        ["李娜", "13812345678", "", "1990/13/40", "1800"],
        [None, None, None, None, None],
    ]
    rows, errors = customer_import.check_rows(table, "CN", TODAY)
    codes = {(row, column, code) for row, column, code, _value in errors}
    assert codes == {
        (3, "name", "required"),
        (3, "phone", "phone"),
        (3, "gender", "gender"),
        (3, "birthday", "future"),
        (4, "phone", "duplicate_in_file"),
        (4, "birthday", "date"),
        (4, "birth_year", "year"),
    }
    assert len(rows) == 3  # the empty line is skipped


def test_missing_required_columns(customer_import):
    with pytest.raises(customer_import.ImportFileError, match="columns"):
        customer_import.check_rows([["姓名"], ["王丽"]], "CN", TODAY)


def test_csv_in_gb18030_and_unknown_format(customer_import):
    content = "姓名,手机\n王丽,13812345678\n".encode("gb18030")
    table = customer_import.read_table(content, "customers.csv")
    assert table[1] == ["王丽", "13812345678"]
    with pytest.raises(customer_import.ImportFileError, match="format"):
        customer_import.read_table(b"x", "customers.pdf")


def test_dates_accept_common_chinese_forms(customer_import):
    parse = customer_import.parse_date
    assert parse("1990年5月12日") == datetime.date(1990, 5, 12)
    assert parse("1990.05.12") == datetime.date(1990, 5, 12)
    assert parse(datetime.datetime(1990, 5, 12, 8, 0)) == datetime.date(1990, 5, 12)
    with pytest.raises(ValueError):
        parse("next tuesday")
