"""The README is the contract of the two commands and of the configuration."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_opens_with_exactly_two_commands():
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S).group(1)
    assert block.strip().splitlines() == ["python3 dev.py demo", "python3 dev.py test"]


def test_every_environment_variable_is_documented():
    read = set()
    for path in [ROOT / "balai" / "settings.py", ROOT / "dev.py", *ROOT.glob("tests/e2e/*.py")]:
        source = path.read_text(encoding="utf-8")
        read |= set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', source))
        read |= set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z_]+)"', source))
    read -= {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CI"}
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, re.M))
    assert read, "found no variables: the pattern above is broken"
    assert not read - documented, f"undocumented: {sorted(read - documented)}"
    assert not documented - read, f"documented but never read: {sorted(documented - read)}"
