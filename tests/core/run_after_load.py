"""Run Odoo's own tests of installed modules once the whole registry is loaded.

Odoo runs a module's at_install tests while the database is still loading, right after that
module: on a database where later modules (ours among them) are installed, those tests see a
half-built registry and break on NOT NULL columns of the modules not loaded yet, for reasons
that say nothing about the modules. This launcher starts Odoo as `python3 -m odoo` would, but
runs no test during loading: once every module is loaded it runs the selected at_install
tests, then the selected post_install tests, the way post-install tests always run.

Usage: run_after_load.py RESULT_FILE ODOO_ARGS...
(ODOO_ARGS as for `python3 -m odoo`: -d DB --test-enable --test-tags ... --stop-after-init)

A failed test is tried again once (ODOO_TEST_FAILURE_RETRIES, default 1) and only its last try
counts. Every counted failure or error is appended to RESULT_FILE, one tab-separated line:
`module:Class.method<TAB>first line of the error`; the id of every test run (once, however
often it is tried) is appended to RESULT_FILE.run. ODOO_PATH (the folder holding odoo-bin) is
put first on the import path when it is set.
"""

import os
import sys


def _test_id(test):
    """module:Class.method of a test, or of the test a subtest or class-setup error belongs to."""
    while getattr(test, "test_case", None) is not None:  # unittest's _SubTest
        test = test.test_case
    method = getattr(test, "_testMethodName", None)
    module = getattr(test, "test_module", None)
    if method and module:
        return f"{module}:{type(test).__qualname__}.{method}"
    # _ErrorHolder of a setUpClass/tearDownClass error: "setUpClass (odoo.addons.m.tests.f.Class)"
    text = str(test)
    if "(" in text and text.endswith(")"):
        where, dotted = text[:-1].split("(", 1)
        parts = dotted.strip().split(".")
        if len(parts) > 2 and parts[0] == "odoo" and parts[1] == "addons":
            return f"{parts[2]}:{parts[-1]}.{where.strip()}"
    return text


def _error_line(err):
    exc_type, exc_value = err[0], err[1]
    lines = [line for line in str(exc_value).splitlines() if line.strip()]
    return f"{exc_type.__name__}: {lines[0].strip() if lines else ''}"[:300]


def _patch(result_file):
    from odoo.tests import loader, result  # noqa: PLC0415
    from odoo.tests.suite import OdooSuite  # noqa: PLC0415

    make_suite = loader.make_suite

    def make_suite_after_load(module_names, position="at_install"):
        if position == "at_install":
            # Called by the module loader while the registry is incomplete: run nothing now.
            return OdooSuite([])
        # Called once every module is loaded: at_install tests first, then post_install ones.
        tests = list(make_suite(module_names, "at_install"))
        tests += list(make_suite(module_names, "post_install"))
        return OdooSuite(tests)

    loader.make_suite = make_suite_after_load

    def record(kind, test, err):
        with open(result_file, "a", encoding="utf-8") as out:
            line = _error_line(err).replace("\t", " ").replace("\n", " ")
            out.write(f"{_test_id(test)}\t{kind}: {line}\n")

    add_error, add_failure = result.OdooTestResult.addError, result.OdooTestResult.addFailure

    def addError(self, test, err):
        if not self._soft_fail:
            record("ERROR", test, err)
        return add_error(self, test, err)

    def addFailure(self, test, err):
        if not self._soft_fail:
            record("FAIL", test, err)
        return add_failure(self, test, err)

    result.OdooTestResult.addError = addError
    result.OdooTestResult.addFailure = addFailure

    # Odoo retries a failed test ODOO_TEST_FAILURE_RETRIES times, but stops retrying for good
    # after the first test that fails every try, which a known failure of Odoo itself (run
    # early) would be. Keep retrying every test: on a busy machine a tour step can miss its
    # 10-second timeout once. Only the last try counts (the others are soft failures).
    from odoo.tests.common import BaseCase  # noqa: PLC0415

    tries = int(os.environ.get("ODOO_TEST_FAILURE_RETRIES", "1")) + 1
    run = BaseCase.run

    def run_with_retries(self, result):
        BaseCase._tests_run_count = tries
        with open(f"{result_file}.run", "a", encoding="utf-8") as out:
            out.write(f"{_test_id(self)}\n")
        return run(self, result)

    BaseCase.run = run_with_retries


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    result_file = sys.argv[1]
    if os.environ.get("ODOO_PATH"):
        sys.path.insert(0, os.environ["ODOO_PATH"])
    # Odoo's own directory must not shadow anything: run from / like scripts/test does.
    sys.argv = [sys.argv[0], *sys.argv[2:]]
    _patch(result_file)
    from odoo.cli.command import main as odoo_main  # noqa: PLC0415

    odoo_main()


if __name__ == "__main__":
    main()
