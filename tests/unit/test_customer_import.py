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
    rows, errors, _warnings = customer_import.check_rows(
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
    rows, errors, _warnings = customer_import.check_rows(table, "CN", TODAY)
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


def test_a_real_export_with_a_title_row_and_its_own_headers(customer_import):
    table = [
        ["某某美容院顾客档案 2026年导出", None, None, None, None],
        [None, None, None, None, None],
        ["客户姓名", "手机号码", "性别", "出生年月", "建档日期"],
        ["王丽", "１３８００１３８０００", "女士", "1990.03.08", "2019/7/5"],
        ["李娜", "+86-139-0000-1111", "F", "85年", "去年"],
        ["赵敏", "130 0000 1111", "男", "3月8日", "20200105"],
        [None, None, None, "", "备注行"],
        ["", "", "", "", ""],
    ]
    rows, errors, warnings = customer_import.check_rows(table, "CN", TODAY)
    assert errors == []
    by_name = {row["name"]: row for row in rows}
    assert [row["row"] for row in rows] == [4, 5, 6]
    assert by_name["王丽"]["phone"] == "+8613800138000"
    assert by_name["王丽"]["gender"] == "female"
    assert by_name["王丽"]["birthday"] == datetime.date(1990, 3, 8)
    assert by_name["王丽"]["archive_date"] == datetime.date(2019, 7, 5)
    assert by_name["李娜"]["phone"] == "+8613900001111"
    assert by_name["李娜"]["birth_year"] == 1985
    assert "birthday" not in by_name["李娜"]
    assert "archive_date" not in by_name["李娜"]
    assert "去年" in by_name["李娜"]["notes"]
    assert by_name["赵敏"]["phone"] == "+8613000001111"
    assert by_name["赵敏"]["gender"] == "male"
    assert "3月8日" in by_name["赵敏"]["notes"]
    assert by_name["赵敏"]["archive_date"] == datetime.date(2020, 1, 5)
    assert {(row, column, code) for row, column, code, _value in warnings} == {
        (5, "birthday", "year_only"),
        (5, "archive_date", "kept_in_notes"),
        (6, "birthday", "kept_in_notes"),
        (7, "name", "blank"),
    }


def test_a_phone_a_digit_short_is_an_error(customer_import):
    table = [["姓名", "手机号码"], ["王丽", "1380013800"], ["李娜", "138 0013 8000"]]
    rows, errors, _warnings = customer_import.check_rows(table, "CN", TODAY)
    assert [(row, column, code) for row, column, code, _value in errors] == [(2, "phone", "phone")]
    assert rows[1]["phone"] == "+8613800138000"


def test_no_header_in_the_first_rows(customer_import):
    table = [["title"]] * 10 + [["姓名", "手机"], ["王丽", "13812345678"]]
    with pytest.raises(customer_import.ImportFileError, match="columns"):
        customer_import.check_rows(table, "CN", TODAY)


def test_birthday_forms(customer_import):
    parse = customer_import.parse_birthday
    assert parse("1988/7/5", TODAY) == (datetime.date(1988, 7, 5), None, None)
    assert parse("１９９０年３月８日", TODAY) == (datetime.date(1990, 3, 8), None, None)
    assert parse("1985年", TODAY) == (None, 1985, None)
    assert parse("05年", TODAY) == (None, 2005, None)
    assert parse("3月8日", TODAY) == (None, None, "3月8日")
    assert parse("", TODAY) == (None, None, None)
    with pytest.raises(ValueError):
        parse("去年", TODAY)


def test_amounts_and_chinese_numerals(customer_import):
    amount, count = customer_import.parse_amount, customer_import.parse_count
    assert amount("￥800") == 800.0
    assert amount("3,500.00") == 3500.0
    assert amount("1200元") == 1200.0
    assert amount(99.999) == 100.0
    assert [count(v) for v in ("五", "十", "十二", "二十", "一百零五", "5次", 3.0)] == [
        5,
        10,
        12,
        20,
        105,
        5,
        3,
    ]
    for bad in ("-5", "abc"):
        with pytest.raises(ValueError):
            amount(bad)
    with pytest.raises(ValueError):
        count("很多")
    with pytest.raises(ValueError):
        count(2.5)


def test_skin_words_of_a_shop(customer_import):
    assert customer_import.parse_skin_type("敏感肌") == "sensitive"
    assert customer_import.parse_skin_type("混合偏油") == "combination"
    assert customer_import.parse_skin_type("") is None
    with pytest.raises(ValueError):
        customer_import.parse_skin_type("很好")
    assert customer_import.parse_concerns("松弛、细纹") == (["sagging", "wrinkles"], [])
    assert customer_import.parse_concerns("毛孔粗大;暗沉") == (["dullness"], ["毛孔粗大"])


def test_allergies_as_free_text(customer_import):
    allergens = {"海鲜": 1, "Seafood": 1, "青霉素": 2, "Penicillin": 2, "酒精": 3}
    parse = customer_import.parse_allergies
    assert parse("海鲜过敏，青霉素过敏", allergens) == ([1, 2], [])
    assert parse("对酒精类护肤品过敏", allergens) == ([3], [])
    assert parse("seafood", allergens) == ([1], [])
    assert parse("无", allergens) == ([], [])
    assert parse("花粉过敏", allergens) == ([], ["花粉过敏"])


def test_a_shop_export_with_its_own_columns(customer_import):
    table = [
        ["会员资料", None, None, None, None, None, None, None, None],
        [
            "顾客姓名",
            "手机号码",
            "肤质",
            "皮肤问题",
            "过敏史",
            "会员等级",
            "卡内余额",
            "剩余次数",
            "消费偏好",
        ],
        [
            "王丽",
            "13800138000",
            "敏感肌",
            "松弛、细纹",
            "海鲜过敏",
            "钻石卡",
            "￥800",
            "五",
            "安静",
        ],
        ["王丽", "138 0013 8000", "", "暗沉", "", "", "", "", ""],
        ["李娜", "13900001111", "外星肌", "毛孔粗大", "无", "VIP", "3,500.00", "很多", ""],
    ]
    rows, errors, warnings = customer_import.check_rows(table, "CN", TODAY)
    assert [(row, column, code) for row, column, code, _value in errors] == [
        (5, "sessions", "count")
    ]
    assert len(rows) == 2
    wang, li = rows
    assert wang["skin_type"] == "sensitive"
    assert wang["concerns"] == ["sagging", "wrinkles", "dullness"]  # merged from row 4
    assert wang["allergies"] == "海鲜过敏"
    assert (wang["tier"], wang["balance"], wang["sessions"]) == ("钻石卡", 800.0, 5)
    assert "消费偏好: 安静" in wang["notes"]
    assert li["balance"] == 3500.0
    assert "skin_type" not in li
    assert "外星肌" in li["skin_notes"] and "毛孔粗大" in li["skin_notes"]
    codes = {(row, column, code) for row, column, code, _value in warnings}
    assert (2, "消费偏好", "unmapped_kept") in codes
    assert (4, "phone", "merged") in codes
    assert (5, "skin_type", "skin_unknown") in codes
    _rows, _errors, warnings = customer_import.check_rows(table, "CN", TODAY, keep_unmapped=False)
    assert (2, "消费偏好", "unmapped_ignored", "消费偏好") in warnings


def test_xls_and_gbk_files(customer_import, tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("顾客")
    for r, values in enumerate([["姓名", "手机号码", "生日"], ["王丽", "13800138000", None]]):
        for c, value in enumerate(values):
            if value is not None:
                sheet.write(r, c, value)
    sheet.write(1, 2, datetime.date(1990, 3, 8), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    path = tmp_path / "old.xls"
    book.save(str(path))
    table = customer_import.read_table(path.read_bytes(), "old.XLS")
    rows, errors, _warnings = customer_import.check_rows(table, "CN", TODAY)
    assert errors == []
    assert rows[0]["birthday"] == datetime.date(1990, 3, 8)
    gbk = "姓名,手机号码\n王丽,13800138000\n".encode("gbk")
    assert customer_import.read_table(gbk, "a.csv")[1] == ["王丽", "13800138000"]
    with pytest.raises(customer_import.ImportFileError, match="unreadable"):
        customer_import.read_table(b"not a workbook", "a.xls")
