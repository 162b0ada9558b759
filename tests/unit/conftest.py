"""Load the addons' ORM-free helper modules straight from their files, without Odoo."""

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(relative):
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def completeness():
    return load("beauty_customer_profile/tools/completeness.py")


@pytest.fixture(scope="session")
def customer_import():
    return load("beauty_customer_profile/tools/customer_import.py")


@pytest.fixture(scope="session")
def crypto():
    return load("beauty_customer_profile/tools/crypto.py")
