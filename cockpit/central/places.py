"""Shaoxing's six districts and county-level cities: ids, names, division codes, sizes.

The division codes (行政区划代码) are the real ones; they are the 3rd–8th characters of
an enterprise's unified social credit code. GDP and its growth are the 2024 figures of
figures §2 (m.e0575.cn, M); they size the simulated district figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.api.schema import Names


@dataclass(frozen=True)
class District:
    id: str
    zh: str
    en: str
    division: str  # 6-digit administrative division code
    gdp_2024: float  # 亿元, figures §2
    growth_2024: float  # %, nominal, figures §2

    @property
    def names(self) -> Names:
        return Names(zh=self.zh, en=self.en)

    @property
    def short_zh(self) -> str:
        return self.zh[:-1]


#: In the official order (越城, 柯桥, 上虞, 诸暨, 嵊州, 新昌).
DISTRICTS: tuple[District, ...] = (
    District("yuecheng", "越城区", "Yuecheng District", "330602", 1413.57, 6.3),
    District("keqiao", "柯桥区", "Keqiao District", "330603", 2252.28, 10.9),
    District("shangyu", "上虞区", "Shangyu District", "330604", 1381.37, 4.8),
    District("zhuji", "诸暨市", "Zhuji", "330681", 1861.08, 6.0),
    District("shengzhou", "嵊州市", "Shengzhou", "330683", 800.25, 6.6),
    District("xinchang", "新昌县", "Xinchang County", "330624", 660.06, 8.8),
)
BY_ID: dict[str, District] = {d.id: d for d in DISTRICTS}
GDP_2024_TOTAL = sum(d.gdp_2024 for d in DISTRICTS)  # 8368.6亿 (figures §2 lists 8368.6 for the city)


def district(district_id: str) -> District:
    return BY_ID[district_id]
