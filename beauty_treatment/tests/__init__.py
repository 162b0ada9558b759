from . import test_install_and_menus
