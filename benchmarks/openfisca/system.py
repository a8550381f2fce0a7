"""The benchmark rule (policy.toml) as an OpenFisca tax-benefit system.

One entity row per claim (entity ``claim``), one period: the policy year. The rule's parameters
are read from the yibao policy file itself, so the two systems cannot drift apart, and become an
ordinary OpenFisca ``ParameterNode``: 起付线 and ratio per level (fancy-indexed by the ``level``
enum), the annual cap of the basic fund, and the 大病保险 schedule as an OpenFisca marginal-rate
scale (``ParameterScale`` → ``MarginalRateTaxScale``).

The year to date is chained the way an OpenFisca user would chain it: claims are sorted by person,
then date, then file order (``run.py`` does that); ``claim_rank`` is a claim's position in its
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
    label="一次结算:住院或门诊 (one claim: a stay or a visit)",
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
        "outpatient": outpatient(doc, levels),
    }


def outpatient(doc: dict, levels: list) -> dict:
    """The general outpatient route (门诊统筹) the generated visits take: its ratio by level (0 at a
    level it does not pay at; run.py refuses visits there), annual 起付线, per-visit and annual
    limits of the fund. A rule without one gets a route that pays nothing (no visits expected)."""
    routes = [r for r in doc.get("outpatient", []) if r["kind"] == "general"]
    if not routes:
        return {"rates": {lv: 0.0 for lv in levels}, "paid_at": [], "deductible": 0.0,
                "per_visit_cap": 0.0, "annual_cap": 0.0}
    (r,) = routes
    assert not r.get("by_category") and not r.get("per_visit_deductible"), "not in the benchmark rule"
    return {
        "rates": {lv: _rate(r["rates"][lv]) if lv in r["rates"] else 0.0 for lv in levels},
        "paid_at": list(r["rates"]),
        "deductible": _money(r.get("deductible", "0")),
        "per_visit_cap": _money(r["per_visit_cap"]) if "per_visit_cap" in r else 1e12,
        "annual_cap": _money(r["annual_cap"]) if "annual_cap" in r else 1e12,
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
                    "outpatient": {
                        "ratio": {lv: v(x) for lv, x in P["outpatient"]["rates"].items()},
                        "deductible": v(P["outpatient"]["deductible"]),
                        "per_visit_cap": v(P["outpatient"]["per_visit_cap"]),
                        "annual_cap": v(P["outpatient"]["annual_cap"]),
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

    class claim_rank(Variable):
        value_type = int
        entity = Claim
        definition_period = Y
        label = "本人本年第几次结算 (0 = first; stays and visits), claims sorted by person then date"

    class visit(Variable):
        value_type = bool
        entity = Claim
        definition_period = Y
        label = "门诊 (a visit; otherwise an inpatient stay)"

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
            in_scope = claim("in_scope", period)
            stay = numpy.minimum(d, in_scope)
            # 门诊: what is left of the annual 起付线. What the visits before used of it is their
            # in-scope amounts up to the 起付线 (each used min(left, in scope), exact in fen).
            annual = parameters(period).outpatient.deductible
            visit = claim("visit", period)
            before = cumsum_before(numpy.where(visit, in_scope, 0), claim("claim_rank", period))
            left = annual - numpy.minimum(before, annual)
            return numpy.where(visit, numpy.minimum(left, in_scope), stay)

    class outpatient_uncapped(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "门诊统筹 after the per-visit limit, before the annual one (unrounded; 0 for a stay)"

        def formula(claim, period, parameters):
            op = parameters(period).outpatient
            rate = by_level(op.ratio, claim("level", period))
            base = numpy.maximum(claim("in_scope", period) - claim("deductible", period), 0)
            return numpy.where(claim("visit", period), numpy.minimum(base * rate, op.per_visit_cap), 0)

    class ytd_outpatient_before(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "本年此前门诊统筹支付 (reported, against its annual limit)"

        def formula(claim, period, parameters):
            cap = parameters(period).outpatient.annual_cap
            reported = round_fen(claim("outpatient_uncapped", period))
            return numpy.minimum(cumsum_before(reported, claim("claim_rank", period)), cap)

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
            reported = numpy.where(claim("visit", period), 0, round_fen(claim("hifp_uncapped", period)))
            before = cumsum_before(reported, claim("claim_rank", period))
            return numpy.minimum(before, cap)

    class hifp(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "统筹支付 after the annual cap (unrounded): the stay's, or the visit's 门诊统筹"

        def formula(claim, period, parameters):
            cap = parameters(period).inpatient.annual_fund_cap
            left = cap - claim("ytd_hifp_before", period)
            stay = numpy.minimum(claim("hifp_uncapped", period), left)
            op_left = parameters(period).outpatient.annual_cap - claim("ytd_outpatient_before", period)
            visit = numpy.minimum(claim("outpatient_uncapped", period), op_left)
            return numpy.where(claim("visit", period), visit, stay)

    class burden(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "政策范围内个人负担 after the basic fund (what 大病 pays on; a visit adds nothing)"

        def formula(claim, period, parameters):
            burden = claim("in_scope", period) - claim("hifp", period)
            return numpy.where(claim("visit", period), 0, burden)

    class ytd_burden_before(Variable):
        value_type = float
        entity = Claim
        definition_period = Y
        label = "本年此前政策范围内个人负担 (大病 base before this claim)"

        def formula(claim, period, parameters):
            return cumsum_before(claim("burden", period), claim("claim_rank", period))

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
            before = cumsum_before(reported, claim("claim_rank", period))
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
        level, claim_rank, visit, total, in_scope, deductible, outpatient_uncapped,
        ytd_outpatient_before, hifp_uncapped, ytd_hifp_before,
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
