import base64
import io

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BeautyCase

HEADER = (
    "姓名 / Name,手机 / Phone,性别 / Gender,生日 / Birthday,介绍人电话 / Referrer phone,标签 / Tags"
)


@tagged("post_install", "-at_install")
class TestCustomerImportWizard(BeautyCase):
    def _wizard(self, content, filename="customers.csv", user="manager"):
        return (
            self.env["beauty.customer.import"]
            .with_user(self.users[user])
            .create({"file": base64.b64encode(content), "filename": filename})
        )

    def _csv(self, *lines):
        return "\n".join((HEADER, *lines)).encode("utf-8-sig")

    def _count(self):
        return self.env["res.partner"].search_count([("beauty_is_customer", "=", True)])

    def test_good_csv_imports_everything(self):
        before = self._count()
        wizard = self._wizard(
            self._csv(
                "张敏,13911112222,女,1988-03-04,,VIP",
                "刘婷,13911113333,女,1992/07/08,13911112222,VIP，新客",
            )
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.imported_count, 2)
        self.assertEqual(self._count(), before + 2)
        liu = self.env["res.partner"].search([("name", "=", "刘婷")])
        zhang = self.env["res.partner"].search([("name", "=", "张敏")])
        self.assertEqual(liu.beauty_referrer_id, zhang)
        self.assertEqual(sorted(liu.category_id.mapped("name")), ["VIP", "新客"])
        self.assertEqual(str(liu.beauty_birthday), "1992-07-08")
        self.assertTrue(liu.beauty_customer_number)

    def test_good_xlsx_imports(self):
        book = openpyxl.Workbook()
        book.active.append(["Name", "Phone", "Gender"])
        book.active.append(["Chen Jing", 13722223333, "female"])
        stream = io.BytesIO()
        book.save(stream)
        wizard = self._wizard(stream.getvalue(), filename="customers.xlsx")
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        customer = self.env["res.partner"].search([("name", "=", "Chen Jing")])
        self.assertEqual(customer.phone_sanitized, "+8613722223333")

    def test_bad_rows_are_all_reported_and_nothing_is_written(self):
        self._customer("已有顾客", phone="13955556666")
        before = self._count()
        tags_before = self.env["res.partner.category"].search_count([])
        wizard = self._wizard(
            self._csv(
                "好顾客,13911117777,女,1990-01-01,,新标签",
                ",13911118888,女,,,",
                "坏号码,12345,女,,,",
                "重复,13955556666,女,,,",
                "未来,13911119999,女,2999-01-01,,",
                "无介绍人,13911110000,女,,13900000000,",
            )
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "error")
        problems = {(line.row, line.column) for line in wizard.line_ids}
        self.assertEqual(
            problems,
            {
                (3, "姓名 / Name"),
                (4, "手机 / Phone"),
                (5, "手机 / Phone"),
                (6, "生日 / Birthday"),
                (7, "介绍人电话 / Referrer phone"),
            },
        )
        self.assertIn("已有顾客", wizard.line_ids.filtered(lambda line: line.row == 5).message)
        self.assertEqual(self._count(), before, "a file with bad rows imports nothing")
        self.assertEqual(self.env["res.partner.category"].search_count([]), tags_before)

    def test_unreadable_files(self):
        with self.assertRaisesRegex(UserError, "xlsx"):
            self._wizard(b"%PDF", filename="customers.pdf").action_import()
        with self.assertRaisesRegex(UserError, "columns"):
            self._wizard("备注\nx\n".encode()).action_import()

    def test_only_managers_import(self):
        with self.assertRaises(AccessError):
            self._wizard(self._csv("张敏,13911112222,女,,,"), user="clinician")

    def test_a_real_export_in_gbk_with_a_title_row(self):
        lines = [
            "某某美容院 顾客档案导出,,,,",
            "客户姓名,手机号码,性别,出生年月,建档日期",
            "王丽,１３８００１３８０００,女士,1990.03.08,2019/7/5",
            "李娜,+86-139-0000-1111,F,85年,去年",
            "赵敏,130 0000 1111,男,3月8日,20200105",
            ",,,,",
        ]
        content = "\n".join(lines).encode("gbk")
        wizard = self._wizard(content, filename="顾客档案.csv")
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.line_ids.mapped("message"))
        self.assertEqual(wizard.imported_count, 3)
        customers = self.env["res.partner"].search([("phone_sanitized", "like", "+861")])
        by_name = {partner.name: partner for partner in customers}
        self.assertEqual(by_name["王丽"].phone_sanitized, "+8613800138000")
        self.assertEqual(str(by_name["王丽"].beauty_birthday), "1990-03-08")
        self.assertEqual(str(by_name["王丽"].beauty_archive_date), "2019-07-05")
        self.assertEqual(by_name["李娜"].beauty_birth_year, 1985)
        self.assertEqual(by_name["李娜"].beauty_gender, "female")
        self.assertIn("去年", by_name["李娜"].comment)
        self.assertIn("3月8日", by_name["赵敏"].comment)
        self.assertEqual(
            {(line.kind, line.row, line.column) for line in wizard.line_ids},
            {
                ("warning", 4, "生日 / Birthday"),
                ("warning", 4, "建档日期 / Archive opened"),
                ("warning", 5, "生日 / Birthday"),
            },
        )

    def test_a_shop_export_previewed_then_imported_with_skin_and_allergies(self):
        # A Chinese shop: allergens are matched by their Chinese names too.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["beauty_customer_profile"], ["zh_CN"])
        lines = [
            "悦颜美容 会员资料,,,,,,,,",
            "顾客姓名,手机号码,肤质,皮肤问题,过敏史,介绍人,会员等级,卡内余额,消费偏好",
            "周敏,13711112222,敏感肌,松弛、细纹,海鲜过敏，花粉过敏,,钻石卡,￥800,安静",
            "周敏,137 1111 2222,,暗沉,,,,,",
            "吴婷,13711113333,混合偏油,毛孔粗大,无,周敏,,,",
        ]
        content = "\n".join(lines).encode("gb18030")
        before = self._count()
        wizard = self._wizard(content, filename="会员资料.csv")
        wizard.consent_health_on_file = True
        wizard.action_check()
        self.assertEqual(wizard.state, "preview", wizard.line_ids.mapped("message"))
        self.assertEqual(wizard.to_create_count, 2)
        self.assertEqual(self._count(), before, "the preview writes nothing")
        kinds = {(line.kind, line.row, line.column) for line in wizard.line_ids}
        self.assertIn(("new", 3, "姓名 / Name"), kinds)
        self.assertIn(("warning", 4, "手机 / Phone"), kinds)  # merged into row 3
        self.assertIn(("warning", 3, "卡内余额 / Stored value"), kinds)  # not imported, said so
        self.assertIn(("warning", 3, "肤质 / Skin type"), kinds)  # no personal consent declared
        self.assertIn(("warning", 2, "消费偏好"), kinds)  # unknown column kept in the notes

        wizard.consent_personal_on_file = True
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.line_ids.mapped("message"))
        self.assertEqual(self._count(), before + 2)
        zhou = self.env["res.partner"].search([("phone_sanitized", "=", "+8613711112222")])
        wu = self.env["res.partner"].search([("phone_sanitized", "=", "+8613711113333")])
        self.assertEqual(wu.beauty_referrer_id, zhou)
        self.assertIn("消费偏好: 安静", zhou.comment)
        self.assertNotIn("海鲜", zhou.comment or "", "health text never goes to the open notes")
        skin = self.env["beauty.skin.profile"].search([("partner_id", "=", zhou.id)])
        self.assertEqual(skin.skin_type, "sensitive")
        concerns = self.env["beauty.skin.concern"].search([("partner_id", "=", zhou.id)])
        self.assertEqual(set(concerns.mapped("concern_type")), {"sagging", "wrinkles", "dullness"})
        allergies = self.env["beauty.allergy"].search([("partner_id", "=", zhou.id)])
        self.assertEqual(
            allergies.allergen_id, self.env.ref("beauty_customer_profile.beauty_allergen_seafood")
        )
        health = self.env["beauty.health.profile"].search([("partner_id", "=", zhou.id)])
        self.assertIn("花粉过敏", health.contraindication_notes)
        consents = self.env["beauty.consent"].search([("partner_id", "=", zhou.id)])
        self.assertEqual(set(consents.mapped("purpose")), {"personal", "health"})
        self.assertEqual(set(consents.mapped("channel")), {"paper"})
        self.assertEqual(consents.recorded_by_id, self.users["manager"])
        self.assertFalse(self.env["beauty.allergy"].search([("partner_id", "=", wu.id)]))

    def test_without_declared_consents_no_sensitive_data_is_written(self):
        content = "姓名,手机号码,肤质,过敏史\n钱丽,13711114444,干性,青霉素过敏\n".encode()
        wizard = self._wizard(content)
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        qian = self.env["res.partner"].search([("phone_sanitized", "=", "+8613711114444")])
        self.assertFalse(self.env["beauty.skin.profile"].search([("partner_id", "=", qian.id)]))
        self.assertFalse(self.env["beauty.allergy"].search([("partner_id", "=", qian.id)]))
        self.assertFalse(self.env["beauty.consent"].search([("partner_id", "=", qian.id)]))
        self.assertNotIn("青霉素", qian.comment or "")
        self.assertEqual(
            {line.column for line in wizard.line_ids},
            {"肤质 / Skin type", "过敏史 / Allergies"},
        )
