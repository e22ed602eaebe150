"""The official list of Indonesian regions (Kepmendagri 300.2.2-2138/2025), shipped in `data/`.

Read once per process. Codes are `NN` (province), `NN.NN` (regency/city), `NN.NN.NN` (district).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "wilayah_kemendagri_2025.csv"

# Time zones by province code (Permen/Keppres on Indonesian time zones): WIB, WITA, WIT.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}
TIMEZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: int

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def is_city(self) -> bool:
        return self.level == 2 and self.name.startswith("Kota ")

    @property
    def official_name(self) -> str:
        """The name a Pemda carries: provinces gain the word 'Provinsi'."""
        return f"Provinsi {self.name}" if self.level == 1 else self.name


@cache
def _regions() -> dict[str, Region]:
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: Region(row["code"], row["name"], int(row["level"])) for row in csv.DictReader(fh)}


def get(code: str) -> Region | None:
    return _regions().get(code.strip())


def all_regions(*, level: int | None = None) -> list[Region]:
    return [r for r in _regions().values() if level is None or r.level == level]


def district_for_nik_prefix(prefix: str) -> Region | None:
    """The district named by a NIK's first six digits (`327301` is `32.73.01`)."""
    if len(prefix) != 6 or not prefix.isdigit():
        return None
    return get(f"{prefix[:2]}.{prefix[2:4]}.{prefix[4:6]}")


def timezone_for(code: str) -> str:
    province = code[:2]
    if province in _WIT:
        return "Asia/Jayapura"
    if province in _WITA:
        return "Asia/Makassar"
    return "Asia/Jakarta"
