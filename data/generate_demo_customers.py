"""Write the demo customer archive (beauty_customer_profile/demo/res_partner_demo.xml).

Deterministic: the same seed always gives the same 36 customers, with names and mobile
numbers as a Chinese shop has them, consents, skin, health and lifestyle records.
Run: python3 data/generate_demo_customers.py
"""

import datetime
import pathlib
import random
from xml.sax.saxutils import escape

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = [
    "静",
    "丽",
    "敏",
    "婷",
    "雪",
    "娜",
    "燕",
    "芳",
    "晓燕",
    "雅琪",
    "梦瑶",
    "欣怡",
    "诗涵",
    "思琪",
    "佳怡",
    "雨桐",
    "婉清",
    "慧敏",
    "丹丹",
    "美玲",
    "晓雯",
    "秀英",
    "桂兰",
    "玉兰",
    "海燕",
    "倩",
    "颖",
    "琳",
    "悦",
    "晨曦",
    "子涵",
    "可馨",
    "一诺",
    "若曦",
    "晓峰",
    "建华",
]
OCCUPATIONS = [
    "教师",
    "会计",
    "护士",
    "设计师",
    "公务员",
    "销售经理",
    "全职妈妈",
    "医生",
    "律师",
    "自由职业",
    "银行职员",
    "大学生",
    "企业主",
    "程序员",
    "市场专员",
]
PREFIXES = ["138", "139", "136", "137", "150", "151", "158", "186", "188", "135", "159", "177"]
TAGS = ["VIP", "Referral", "Bride-to-be", "Sensitive skin"]
ALLERGENS = [
    "fragrance",
    "alcohol",
    "parabens",
    "salicylic",
    "seafood",
    "penicillin",
    "latex",
    "lidocaine",
    "retinol",
    "fruit_acid",
    "mango",
    "nickel",
]
CONTRA = ["pregnancy", "isotretinoin", "anticoagulant", "keloid", "photosensitive", "recent_filler"]
CONCERNS = ["spots", "acne", "sensitivity", "wrinkles", "sagging", "dehydration", "dullness"]
SKIN = ["dry", "oily", "combination", "sensitive", "normal"]
BRANDS = [
    ("雅诗兰黛", "小棕瓶精华"),
    ("兰蔻", "小黑瓶"),
    ("薇诺娜", "舒敏保湿霜"),
    ("珀莱雅", "双抗精华"),
    ("SK-II", "神仙水"),
    ("理肤泉", "B5修复霜"),
    ("资生堂", "红腰子精华"),
    ("玉泽", "屏障修护乳"),
]
PAST = [
    ("水光针", "medical_aesthetic"),
    ("光子嫩肤", "medical_aesthetic"),
    ("果酸焕肤", "aesthetic"),
    ("玻尿酸填充", "medical_aesthetic"),
    ("深层清洁", "aesthetic"),
    ("热玛吉", "medical_aesthetic"),
]
TODAY = datetime.date(2026, 11, 1)


def field(name, value):
    return f'        <field name="{name}">{escape(str(value))}</field>'


def date_field(name, date):
    """A date relative to the day the demo is installed, so it never goes stale."""
    days = (TODAY - date).days
    return (
        f'        <field name="{name}" eval="(DateTime.today() - relativedelta(days={days}))'
        f".strftime('%Y-%m-%d')\"/>"
    )


def ref_field(name, xmlid):
    return f'        <field name="{name}" ref="{xmlid}"/>'


def record(xmlid, model, lines):
    return "\n".join([f'    <record id="{xmlid}" model="{model}">', *lines, "    </record>"])


def main():
    rng = random.Random(20261123)
    out, used_phones, used_names = [], set(), set()
    for index in range(1, 37):
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if name not in used_names:
                used_names.add(name)
                break
        while True:
            phone = rng.choice(PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
            if phone not in used_phones:
                used_phones.add(phone)
                break
        xid = f"demo_customer_{index:02d}"
        gender = "male" if name.endswith(("晓峰", "建华")) else "female"
        birthday = datetime.date(rng.randint(1968, 2004), rng.randint(1, 12), rng.randint(1, 28))
        opened = TODAY - datetime.timedelta(days=rng.randint(20, 1400))
        lines = [
            field("name", name),
            field("phone", f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"),
            field("beauty_is_customer", True),
            ref_field("company_id", "base.main_company"),
            ref_field("country_id", "base.cn"),
            field("beauty_gender", gender),
            date_field("beauty_archive_date", opened),
            field("beauty_occupation", rng.choice(OCCUPATIONS)),
            field("beauty_wechat", f"wx_{phone[-6:]}"),
            field("city", rng.choice(["上海", "杭州", "苏州", "南京"])),
            field("beauty_pref_pressure", rng.choice(["light", "medium", "firm"])),
            field("beauty_pref_temperature", rng.choice(["cool", "neutral", "warm"])),
            field("beauty_pref_conversation", rng.choice(["talkative", "quiet"])),
            field("beauty_budget", rng.choice(["low", "medium", "high", "premium"])),
            field("beauty_surgical_preference", rng.choice(["non_surgical", "open"])),
            field("beauty_pref_channel", rng.choice(["sms", "wechat", "email", "phone"])),
        ]
        if rng.random() < 0.8:
            lines.append(field("beauty_birthday", birthday))
        else:
            lines.append(field("beauty_birth_year", birthday.year))
        if index > 4 and rng.random() < 0.35:
            lines.append(ref_field("beauty_referrer_id", f"demo_customer_{rng.randint(1, 4):02d}"))
        if rng.random() < 0.7:
            lines.append(
                f'        <field name="beauty_consultant_id" ref="beauty_customer_profile.'
                f'res_users_demo_{rng.choice(["front_desk", "manager"])}"/>'
            )
        lines.append(
            '        <field name="beauty_therapist_id" '
            'ref="beauty_customer_profile.res_users_demo_therapist"/>'
        )
        if rng.random() < 0.5:
            lines.append(
                date_field(
                    "beauty_last_review_date",
                    TODAY - datetime.timedelta(days=rng.randint(10, 300)),
                )
            )
        out.append(record(xid, "res.partner", lines))
        # Consents: most customers signed everything; a few never signed health or photos.
        purposes = ["personal"]
        if index % 9:
            purposes += ["health", "photo"]
        if index % 3 == 0:
            purposes.append("marketing_sms")
        if index % 4 == 0:
            purposes.append("marketing_wechat")
        for purpose in purposes:
            out.append(
                record(
                    f"{xid}_consent_{purpose}",
                    "beauty.consent",
                    [
                        ref_field("partner_id", xid),
                        field("purpose", purpose),
                        ref_field(
                            "version_id",
                            f"beauty_customer_profile.beauty_consent_version_{purpose}_v1",
                        ),
                        date_field(
                            "date_granted", max(opened, TODAY - datetime.timedelta(days=300))
                        ),
                        field("channel", rng.choice(["tablet", "paper"])),
                    ],
                )
            )
        out.append(
            record(
                f"{xid}_skin",
                "beauty.skin.profile",
                [
                    ref_field("partner_id", xid),
                    field("skin_type", rng.choice(SKIN)),
                    field("pores", rng.choice(["fine", "visible", "enlarged"])),
                    field("lustre", rng.choice(["radiant", "normal", "dull"])),
                    field("elasticity", rng.choice(["low", "medium", "high"])),
                ],
            )
        )
        for concern in rng.sample(CONCERNS, rng.randint(1, 3)):
            out.append(
                record(
                    f"{xid}_concern_{concern}",
                    "beauty.skin.concern",
                    [
                        ref_field("partner_id", xid),
                        field("concern_type", concern),
                        field("severity", rng.randint(1, 5)),
                        date_field(
                            "date_first_noticed",
                            (opened - datetime.timedelta(days=rng.randint(30, 900))),
                        ),
                    ],
                )
            )
        for number in range(rng.randint(1, 3)):
            out.append(
                record(
                    f"{xid}_assessment_{number}",
                    "beauty.skin.assessment",
                    [
                        ref_field("partner_id", xid),
                        date_field(
                            "date",
                            (TODAY - datetime.timedelta(days=30 * number + rng.randint(1, 25))),
                        ),
                        ref_field(
                            "assessor_id", "beauty_customer_profile.res_users_demo_therapist"
                        ),
                        field("skin_type", rng.choice(SKIN)),
                        field("hydration", rng.randint(25, 80)),
                        field("oiliness", rng.randint(10, 80)),
                        field(
                            "findings",
                            rng.choice(
                                [
                                    "T区出油，两颊偏干",
                                    "肤色不均，有轻微色斑",
                                    "屏障受损，易泛红",
                                    "状态稳定，弹性良好",
                                ]
                            ),
                        ),
                    ],
                )
            )
        out.append(
            record(
                f"{xid}_lifestyle",
                "beauty.lifestyle",
                [
                    ref_field("partner_id", xid),
                    field("sleep", rng.choice(["good", "irregular", "poor"])),
                    field("sleep_hours", rng.choice([5.5, 6, 7, 7.5, 8])),
                    field("diet", rng.choice(["balanced", "light", "spicy_oily", "sweet"])),
                    field("exercise", rng.choice(["never", "sometimes", "often"])),
                    field("smoking", rng.choice(["never", "never", "sometimes"])),
                    field("alcohol", rng.choice(["never", "sometimes", "often"])),
                    field("stress", rng.choice(["low", "medium", "high"])),
                    field("sun_protection", rng.choice(["never", "sometimes", "daily"])),
                ],
            )
        )
        brand, line = rng.choice(BRANDS)
        out.append(
            record(
                f"{xid}_home_product",
                "beauty.home.product",
                [ref_field("partner_id", xid), field("brand", brand), field("product_line", line)],
            )
        )
        if "health" not in purposes:
            continue
        contra = rng.sample(CONTRA, 1) if rng.random() < 0.3 else []
        health = [
            ref_field("partner_id", xid),
            field("pregnancy_status", rng.choice(["no", "no", "no", "planning", "breastfeeding"])),
        ]
        if contra:
            health.append(
                f'        <field name="contraindication_ids" eval="[Command.set([ref('
                f"'beauty_customer_profile.beauty_contraindication_{contra[0]}')])]\"/>"
            )
        if rng.random() < 0.3:
            health.append(
                field("chronic_conditions", rng.choice(["甲状腺功能减退", "轻度贫血", "偏头痛"]))
            )
        if rng.random() < 0.2:
            health.append(field("medication", rng.choice(["优甲乐 每日一次", "口服避孕药"])))
        out.append(record(f"{xid}_health", "beauty.health.profile", health))
        for allergen in rng.sample(ALLERGENS, rng.choice([0, 0, 1, 1, 2])):
            out.append(
                record(
                    f"{xid}_allergy_{allergen}",
                    "beauty.allergy",
                    [
                        ref_field("partner_id", xid),
                        ref_field(
                            "allergen_id", f"beauty_customer_profile.beauty_allergen_{allergen}"
                        ),
                        field("severity", rng.choice(["mild", "moderate", "severe"])),
                        field("reaction", rng.choice(["红肿", "瘙痒", "起疹子", "呼吸不畅"])),
                    ],
                )
            )
        if rng.random() < 0.4:
            what, kind = rng.choice(PAST)
            out.append(
                record(
                    f"{xid}_past",
                    "beauty.past.treatment",
                    [
                        ref_field("partner_id", xid),
                        field("name", what),
                        field("kind", kind),
                        field("place", rng.choice(["本店", "上海某医美诊所", "杭州某美容院"])),
                        date_field("date", opened - datetime.timedelta(days=rng.randint(60, 700))),
                        field("result", rng.choice(["效果良好", "轻微红肿，三天消退", "效果一般"])),
                    ],
                )
            )
    target = (
        pathlib.Path(__file__).resolve().parent.parent
        / "beauty_customer_profile/demo/res_partner_demo.xml"
    )
    target.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<odoo>\n' + "\n".join(out) + "\n</odoo>\n",
        encoding="utf-8",
    )
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
