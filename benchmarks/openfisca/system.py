"""The benchmark rule (policy.toml) as an OpenFisca tax-benefit system.

One entity row per claim (entity ``claim``), one period: the policy year. The rule's parameters
are read from the yibao policy file itself, so the two systems cannot drift apart, and become an
ordinary OpenFisca ``ParameterNode``: 起付线 and ratio per level (fancy-indexed by the ``level``
enum), the annual cap of the basic fund, and the 大病保险 schedule as an OpenFisca marginal-rate
scale (``ParameterScale`` → ``MarginalRateTaxScale``).

The year to date is chained the way an OpenFisca user would chain it: claims are sorted by person,
then date, then file order (``run.py`` does that); ``admission_rank`` is a claim's position in its
person's year, and each "year to date before this claim" variable is a group-wise cumulative sum
over the claims before it (``cumsum_before``). That gives the same result as settling the claims one
after the other, as yibao's ``Ytd`` does, because of how the caps and the layer use the year:

* The basic fund's year to date is the sum of the *reported* (rounded) payments before the claim,
  and a claim's payment is ``min(raw, cap - ytd)``. ``cap - ytd`` is a whole number of fen, so
  rounding commutes with the ``min`` and the reported year to date is exactly
  ``min(cap, sum of the rounded uncapped payments before)``: no sequential loop is needed.
* The 大病 layer's base (its threshold and tiers count the whole year) is the sum of the
  *unrounded* in-scope burdens before the claim (``Ytd.layers[..].base``); the claim pays the
  schedule on ``base + burden`` minus the schedule on ``base`` (``pay_increment``).
* The layer's cap counts what the slips reported for it, which is not ``round(pay)`` but
  ``round(hifp + pay) - round(hifp)`` (payers are rounded as running totals so that they add up
  to the rounded fund total). The same argument as for the basic fund makes its year to date
  ``min(cap, sum of those reported uncapped payments before)``.

Dtypes: OpenFisca stores every ``value_type = float`` variable as ``numpy.float32``
(``openfisca_core.variables.config.VALUE_TYPES[float]["dtype"]``). ``build_system("float64")``
sets ``dtype = numpy.float64`` on each float variable after the system is built (an OpenFisca
``Variable``'s ``dtype`` attribute is what the holders and the formula-result cast use), which is
the only way to get double precision out of openfisca-core without patching it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy

from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

POLICY = Path(__file__).with_name("policy.toml")

Claim = build_entity(
    key="claim",
    plural="claims",
    label="一次住院结算 (one inpatient claim)",
    is_person=True,
)


def _money(s: str) -> float:
    return float(s)


def _rate(s: str) -> float:
    s = s.strip()
    return float(s[:-1]) / 100 if s.endswith("%") else float(s)


def read_policy(path: Path = POLICY) -> dict:
    """The parameters of the benchmark rule, from the yibao policy file."""
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    levels = [lv["id"] for lv in sorted(doc["levels"], key=lambda lv: lv["rank"])]
    inp = doc["inpatient"]
    (layer,) = [la for la in doc["layers"] if la["pays_into"] == "hifmi_pay"]
    assert doc["rounding"] == {**doc["rounding"], "mode": "half_up", "unit": "fen"}
    assert len(doc["categories"]) == 1, "the benchmark rule has one category"
    # Tier bounds as OpenFisca marginal-rate brackets on the cumulative amount: 0 below the
    # threshold, then each band from its lower bound (with base = "cumulative" the first band
    # starts at the threshold; with "above_threshold" every bound is shifted by it).
    threshold = _money(layer["threshold"])
    offset = threshold if layer["base"] == "above_threshold" else 0.0
    brackets = [(0.0, 0.0)]
    lower = 0.0
    for tier in layer["tiers"]:
        brackets.append((max(lower + offset, threshold), _rate(tier["rate"])))
        if "up_to" not in tier:
            break
        lower = _money(tier["up_to"])
    return {
        "year": int(str(doc["meta"]["effective_from"])[:4]),
        "start": str(doc["meta"]["effective_from"]),
        "levels": levels,
        "category": doc["categories"][0]["id"],
        "deductible": {lv: _money(v) for lv, v in inp["deductible"]["by_level"].items()},
        "ratio": {lv: _rate(v) for lv, v in inp["ratio"]["rates"].items()},
        "annual_fund": _money(inp["caps"]["annual_fund"]),
        "critical_brackets": brackets,
        "critical_cap": _money(layer["annual_cap"]),
        "critical_id": layer["id"],
    }


def round_fen(x):
    """四舍五入到分 (half up; every amount here is ≥ 0)."""
    return numpy.floor(x * 100 + 0.5) / 100


def cumsum_before(values, rank):
    """Per person, the sum of ``values`` over the claims before each claim.

    Claims are sorted by person then by order, and ``rank`` is the claim's position in its person's
    year (0 for the first). The previous claim of the same person is then always the row before, so
    the running sum is built one admission rank at a time, vectorised over all persons (a global
    ``cumsum`` minus each group's start would cancel catastrophically in float32).
    """
    out = numpy.zeros_like(values)
    for k in range(1, int(rank.max(initial=0)) + 1):
        idx = numpy.flatnonzero(rank == k)
        out[idx] = out[idx - 1] + values[idx - 1]
    return out


def build_system(
    dtype: str = "float32", policy: Path = POLICY, fancy_indexing: bool = False
) -> TaxBenefitSystem:
    """The system; ``fancy_indexing`` reads the per-level parameters with OpenFisca's documented
    idiom (``parameters.inpatient.deductible[level]``), which openfisca-core 46 resolves with a
    Python loop over the claims; by default they are looked up in a numpy table indexed by the
    enum's codes, the same values without the loop (the fair, fast way to write it)."""
    P = read_policy(policy)
    Level = Enum("Level", {lv: lv for lv in P["levels"]})
    names = [m.name for m in Level]

    def by_level(node, level):
        if fancy_indexing:
            return node[level]
        return numpy.array([node[name] for name in names])[numpy.asarray(level)]

    class BenchmarkSystem(TaxBenefitSystem):
        def __init__(self):
            super().__init__([Claim])
            since = P["start"]
            v = lambda x: {"values": {since: x}}  # noqa: E731
            self.parameters = ParameterNode(
                "",
                data={
                    "inpatient": {
                        "deductible": {lv: v(x) for lv, x in P["deductible"].items()},
                        "ratio": {lv: v(x) for lv, x in P["ratio"].items()},
                        "annual_fund_cap": v(P["annual_fund"]),
                    },
                    "critical_illness": {
                        "scale": {
                            "brackets": [
                                {"threshold": v(t), "rate": v(r)}
                                for t, r in P["critical_brackets"]
                            ]
                        },
                        "annual_cap": v(P["critical_cap"]),
                    },
                },
            )

    Y = DateUnit.YEAR

    class level(Variable):
        value_type = Enum
        possible_values = Level
        default_value = Level[P["levels"][0]]
        entity = Claim
        definition_period = Y
        label = "医疗机构级别"

    class admission_rank(Variable):
        value_type = int
        entity = Claim
        definition_period = Y
        label = "本人本年第几次住院 (0 = first), claims sorted by person then date"

    class total(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "医疗费总额 medfee_sumamt"

    class in_scope(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "政策范围内费用 inscp_scp_amt"

    class deductible(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "实际起付线 act_pay_dedc"

        def formula(claim, period, parameters):
            d = by_level(parameters(period).inpatient.deductible, claim("level", period))
            return numpy.minimum(d, claim("in_scope", period))

    class hifp_uncapped(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "统筹支付 before the annual cap (unrounded)"

        def formula(claim, period, parameters):
            rate = by_level(parameters(period).inpatient.ratio, claim("level", period))
            base = claim("in_scope", period) - claim("deductible", period)
            return numpy.maximum(base, 0) * rate

    class ytd_hifp_before(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "本年此前统筹支付 (reported, against the annual cap)"

        def formula(claim, period, parameters):
            cap = parameters(period).inpatient.annual_fund_cap
            reported = round_fen(claim("hifp_uncapped", period))
            before = cumsum_before(reported, claim("admission_rank", period))
            return numpy.minimum(before, cap)

    class hifp(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "统筹支付 after the annual cap (unrounded)"

        def formula(claim, period, parameters):
            cap = parameters(period).inpatient.annual_fund_cap
            left = cap - claim("ytd_hifp_before", period)
            return numpy.minimum(claim("hifp_uncapped", period), left)

    class burden(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "政策范围内个人负担 after the basic fund (what 大病 pays on)"

        def formula(claim, period, parameters):
            return claim("in_scope", period) - claim("hifp", period)

    class ytd_burden_before(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "本年此前政策范围内个人负担 (大病 base before this claim)"

        def formula(claim, period, parameters):
            return cumsum_before(claim("burden", period), claim("admission_rank", period))

    class critical_uncapped(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "大病保险 before its annual cap (unrounded)"

        def formula(claim, period, parameters):
            scale = parameters(period).critical_illness.scale
            before = claim("ytd_burden_before", period)
            after = before + claim("burden", period)
            return numpy.maximum(scale.calc(after) - scale.calc(before), 0)

    class ytd_critical_before(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "本年此前大病保险支付 (reported, against its annual cap)"

        def formula(claim, period, parameters):
            cap = parameters(period).critical_illness.annual_cap
            hifp = claim("hifp", period)
            reported = round_fen(hifp + claim("critical_uncapped", period)) - round_fen(hifp)
            before = cumsum_before(reported, claim("admission_rank", period))
            return numpy.minimum(before, cap)

    class critical(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "大病保险 after its annual cap (unrounded)"

        def formula(claim, period, parameters):
            cap = parameters(period).critical_illness.annual_cap
            left = cap - claim("ytd_critical_before", period)
            return numpy.minimum(claim("critical_uncapped", period), left)

    # Reported amounts: rounded as running totals (统筹, then 统筹 + 大病), as on the slip.
    class hifp_pay(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "基本统筹支付"

        def formula(claim, period, parameters):
            return round_fen(claim("hifp", period))

    class fund_pay_sumamt(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "基金支付合计"

        def formula(claim, period, parameters):
            return round_fen(claim("hifp", period) + claim("critical", period))

    class hifmi_pay(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "居民大病保险"

        def formula(claim, period, parameters):
            return claim("fund_pay_sumamt", period) - claim("hifp_pay", period)

    class psn_part_amt(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "个人负担"

        def formula(claim, period, parameters):
            return round_fen(claim("total", period)) - claim("fund_pay_sumamt", period)

    system = BenchmarkSystem()
    for var in (
        level, admission_rank, total, in_scope, deductible, hifp_uncapped, ytd_hifp_before,
        hifp, burden, ytd_burden_before, critical_uncapped, ytd_critical_before, critical,
        hifp_pay, fund_pay_sumamt, hifmi_pay, psn_part_amt,
    ):
        system.add_variable(var)
    if dtype == "float64":
        for var in system.variables.values():
            if var.value_type is float:
                var.dtype = numpy.float64
    elif dtype != "float32":
        raise ValueError(f"dtype must be float32 or float64, not {dtype}")
    system.Level = Level
    system.benchmark = P
    return system


OUTPUTS = ("hifp_pay", "hifmi_pay", "fund_pay_sumamt", "psn_part_amt")
