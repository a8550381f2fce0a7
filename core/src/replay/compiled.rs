//! The settlement compiled for replays of many claims (提标测算): the policy is turned once into
//! integer tables, and each claim is then settled with integer arithmetic, no strings and no
//! allocation.
//!
//! Why a second form of the same rules: the general path ([`super::settle`]) reads the policy's
//! maps by name and keeps exact decimals, about twelve thousand instructions a claim; this path
//! takes about a thousand. What depends only on who and where (level, category, age, the nth
//! admission) is decided at compile time by the engine's own functions (the deductible, the ratio
//! table, the referral verdict, the layer overrides): only the arithmetic on amounts is written
//! again here, in integers. The property tests `the_compiled_path_equals_the_settlement_path`
//! (tests/tests/every_policy.rs, every shipped policy) and tests/tests/compiled.rs (inline
//! policies with what the shipped ones lack) hold the two equal.
//!
//! Stays and visits alike: a stay's basic fund is `general::basic` and `general::caps`; a
//! visit's (门诊统筹 / 门诊共济, 两病, 门诊慢特病) is its outpatient route's — the route the engine
//! itself chooses (`outpatient::select`: named, found by the disease, or the general one), its
//! terms for the category and level (`outpatient::terms`: the ratio with the referral penalty,
//! the annual and per-visit 起付线, the annual cap), its per-visit cap, the limits it shares with
//! other routes and, for a route paid on inpatient terms, the inpatient annual limit, each route
//! with its year to date. The layers after the basic fund are the same code for both (those a
//! visit is eligible for). What visits leave to the general path, each declared where it is
//! decided: a route past [`MAX_ROUTES`], a shared limit past [`MAX_COMBINED`], a level the route
//! does not pay at (the general path refuses it with its problem), a disease a layer override
//! names (a catalogue disease compiles: the verdict reads only its catalogue entry, and the
//! visit's cells are that entry's), a route or disease that matches no route, and, as for stays, line items, units, an
//! accident, a ratio not in ten-thousandths, a penalty that moves or refuses the bill.
//!
//! Exact, not approximate: amounts are whole multiples of 10⁻¹⁰ yuan and rates whole
//! multiples of 10⁻⁴, so a product is exact or detectably not; anything the integers cannot hold
//! exactly, and every rule or claim outside what compiles, goes to the general path instead:
//! [`Compiled::new`] says why a policy does not compile, and [`Compiled::person`] returns `None`
//! for a person whose claims it does not cover.

// The settlement field (the claims file's `Key` is the other one here).
use crate::case::{Case, LayerYtd, Patient, ReferralFacts, RouteYtd, Setting, Ytd};
use crate::claims::{Claim, Key, Keys};
use crate::date::Date;
use crate::estimate::Key as F;
use crate::estimate::{
    general, layers, outpatient, Amounts, ByKey, Settled, Settlement, MAX_ADMISSIONS,
};
use crate::money::{Money, RoundMode, RoundUnit};
use crate::policy::{
    icd_matches, looks_like_icd10, FilingKind, LayerBase, PaysInto, PolicyDoc, TierBase,
};
use crate::referral::{self, Eligibility};
use crate::trace::Trace;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// Integer amounts count units of 10⁻¹⁰ yuan: a fen is `FEN` units.
const FEN: i64 = 100_000_000;
const YUAN: i64 = 100 * FEN;
/// Rates count units of 10⁻⁴ (`0.75` is 7,500).
const RATE: i64 = 10_000;
/// Filing kinds a claim may name, and none.
const KINDS: usize = FilingKind::ALL.len() + 1;

/// Referral situations for a policy of `levels` levels: from (none or a level) × slip (none,
/// valid, expired) × filed × filing kind × emergency.
fn situations(levels: usize) -> usize {
    (levels + 1) * 3 * 2 * KINDS * 2
}

/// One payment after the basic fund: a layer's (its index in the policy) or the overall step's.
#[derive(Clone, Copy, Debug)]
struct Paid {
    into: PaysInto,
    pay: i64,
    layer: Option<usize>,
}

impl Default for Paid {
    fn default() -> Self {
        Paid {
            into: PaysInto::OthPay,
            pay: 0,
            layer: None,
        }
    }
}

/// Floors a category may have on the compiled path (and a full relief).
const MAX_FLOORS: usize = 3;
/// Payments after the basic fund on the compiled path: every layer, the floors, a full relief.
const MAX_PAID: usize = MAX_LAYERS + MAX_FLOORS + 1;

/// The bit of [`Slip::limits`] for the overall ceiling (`overall:max_share`).
const MAX_SHARE: u32 = 1 << 31;

/// Layers a compiled policy may have (each has a bit in [`Slip::limits`]).
pub const MAX_LAYERS: usize = 8;
/// Outpatient routes whose visits the compiled path settles (each keeps its year to date in
/// [`Year`]): visits of a route past these take the general path.
pub const MAX_ROUTES: usize = 8;
/// Annual limits shared by outpatient routes (`outpatient_caps`) the compiled path applies, each
/// with a bit in [`Slip::limits`] from [`COMBINED_SHIFT`]: a visit on a route that shares one
/// past these takes the general path.
pub const MAX_COMBINED: usize = 8;
const COMBINED_SHIFT: usize = 2 + MAX_LAYERS;

/// An amount as integer units, when it is a whole number of them.
fn units(m: Money) -> Option<i64> {
    m.whole(YUAN)
}

/// An optional amount as units: `None` when it is given but not whole in units.
fn opt_units(m: Option<Money>) -> Option<Option<i64>> {
    m.map_or(Some(None), |m| units(m).map(Some))
}

/// A rate as ten-thousandths, when it is a whole number of them.
fn rate(r: Decimal) -> Option<i64> {
    let v = r * Decimal::from(RATE);
    (v.fract().is_zero()).then(|| v.to_i64()).flatten()
}

/// `x × r / 10⁴`, or `None` when the product is not a whole number of units (or overflows).
/// Split so that every division is by a constant (a multiply, not a divide, on the machine).
#[inline]
fn times(x: i64, r: i64) -> Option<i64> {
    let (q, rem) = (x / RATE, x % RATE);
    let low = rem * r;
    if low % RATE != 0 {
        return None;
    }
    q.checked_mul(r)?.checked_add(low / RATE)
}

fn sat(x: i64) -> i64 {
    x.max(0)
}

/// A 分段 schedule with every band's rate already adjusted (as `schedule::pay` reads it).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Sched {
    base: TierBase,
    /// (upper bound in units, rate in ten-thousandths).
    tiers: Vec<(Option<i64>, i64)>,
}

impl Sched {
    fn new(base: TierBase, tiers: &[crate::policy::Tier], points: Decimal) -> Option<Sched> {
        let tiers = tiers
            .iter()
            .map(|t| Some((opt_units(t.up_to)?, rate(t.rate.add_points(points).0)?)))
            .collect::<Option<_>>()?;
        Some(Sched { base, tiers })
    }

    /// What the schedule pays on the cumulative `amount` above `threshold` (`schedule::pay`'s sum).
    #[inline]
    fn pay(&self, threshold: i64, amount: i64) -> Option<i64> {
        let (offset, start) = match self.base {
            TierBase::Cumulative => (0, threshold),
            TierBase::AboveThreshold => (threshold, threshold),
        };
        let (mut lower, mut sum) = (0i64, 0i64);
        for &(up_to, r) in &self.tiers {
            let lo = lower.checked_add(offset)?.max(start);
            let hi = match up_to {
                Some(u) => u.checked_add(offset)?.min(amount),
                None => amount,
            };
            if hi > lo {
                sum += times(hi - lo, r)?;
            }
            match up_to {
                Some(u) => lower = u,
                None => break,
            }
        }
        Some(sum)
    }
}

/// One layer as it applies to one cell.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CellLayer {
    /// The layer's index in the policy (its year to date and its bit in the limits).
    layer: usize,
    into: PaysInto,
    on: LayerBase,
    min_bill: Option<i64>,
    threshold: i64,
    sched: Sched,
    cap: Option<i64>,
}

/// The basic fund's terms of a stay (`general::basic` and `general::caps`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stay {
    /// The 起付线 of the nth admission of the year (`[n − 1]`; the last one for all later).
    deductible: Vec<i64>,
    /// 一年只付一次起付线: what was paid this year comes off.
    once_a_year: bool,
    ratio: Sched,
    per_admission: Option<i64>,
    annual: Option<i64>,
}

/// The basic fund's terms of a visit on one outpatient route (`outpatient::basic`, its terms
/// from `outpatient::terms`, and `shared_limits`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Visit {
    /// The route's index in the policy's `outpatient` (its year to date in [`Year::routes`]).
    route: usize,
    /// In ten-thousandths, the referral penalty applied.
    rate: i64,
    /// The route's annual 起付线 (what was paid of it this year comes off), and the level's
    /// per-visit one, paid at every visit.
    annual_ded: Option<i64>,
    per_visit_ded: i64,
    per_visit_cap: Option<i64>,
    annual_cap: Option<i64>,
    /// The limits the route shares with other routes, in policy order: the limit's index in
    /// `outpatient_caps`, its amount, and the routes whose year counts against it (as listed).
    combined: Vec<(usize, i64, Vec<usize>)>,
    /// The route is paid out of the inpatient annual limit (its payments count toward it), and
    /// that limit when the policy has one for the category.
    shares_inpatient: bool,
    inpatient_annual: Option<i64>,
}

/// A stay's or a visit's basic-fund terms.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Basic {
    Stay(Stay),
    Visit(Visit),
}

/// Everything the settlement needs that depends only on who is treated where: a stay or a
/// visit on one route, one level, one category, one class of ages, one referral situation.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Cell {
    /// Whether the referral rules lowered this cell's benefits (未按规定转诊、未备案).
    penalised: bool,
    /// Only a total without its in-scope part is split by the policy's typical mix, which is
    /// left to the general path.
    has_mix: bool,
    basic: Basic,
    /// The layers this cell pays, in the order the engine runs them: the funds' (the first
    /// `funds`), then the commercial supplements.
    layers: Vec<CellLayer>,
    funds: usize,
    /// The category's floors (兜底: the funds' share at least this, in ten-thousandths, paid
    /// into that payer) and full relief (五保: the payer of all that is left), in policy order.
    floors: Vec<(i64, PaysInto)>,
    full_relief: Option<PaysInto>,
    /// The payers (a bit per `PaysInto`) those layers, floors and relief pay into.
    pays_into: u8,
}

/// A file's level and category codes ([`Keys`]) as the policy's positions.
#[derive(Clone, Debug)]
pub struct Binding {
    levels: Vec<Option<usize>>,
    categories: Vec<Option<usize>>,
}

impl Binding {
    #[inline]
    pub fn level(&self, code: u16) -> Option<usize> {
        *self.levels.get(usize::from(code))?
    }
    #[inline]
    pub fn category(&self, code: u16) -> Option<usize> {
        *self.categories.get(usize::from(code))?
    }
}

/// A cell compiled on first use; `None` where it does not compile.
type Lazy = OnceLock<Option<Cell>>;

/// A policy compiled for replays. Build it once per policy and replay.
#[derive(Clone, Debug)]
pub struct Compiled {
    levels: Vec<String>,
    categories: Vec<String>,
    /// Age boundaries: an age's class is how many are at or below it, plus one (0: no age).
    age_bounds: Vec<u32>,
    /// `[((level × categories + category) × classes + class) × SITUATIONS + situation]`,
    /// compiled the first time a claim needs it (most of the referral situations never occur):
    /// `None` where the cell does not compile (the general path settles those claims).
    cells: Vec<OnceLock<Option<Cell>>>,
    /// The same for visits: `[(entry × routes + route) × bases + base]` (entry: the visit's
    /// disease's catalogue entry plus one, 0 for none; base: the level, category and age class
    /// as [`Compiled::slot`] numbers them), each a list by referral situation made on first
    /// use: most of them never are.
    visits: Vec<OnceLock<Box<[Lazy]>>>,
    /// The disease codes that can change a visit's settlement besides the catalogue's (the
    /// layer overrides'): a visit with a matching disease takes the general path.
    visit_diseases: Vec<String>,
    /// The route a visit that names neither a route nor a disease takes (门诊统筹), when the
    /// policy has one.
    general_route: Option<usize>,
    /// Outpatient route ids (a slip's route), and the shared limits' ids (their cap names).
    route_ids: Vec<String>,
    combined_ids: Vec<String>,
    classes: usize,
    /// Representative ages of the classes.
    ages: Vec<Option<u32>>,
    /// The policy, for compiling cells as they are needed.
    doc: PolicyDoc,
    layer_ids: Vec<String>,
    /// Policy layers in the order the engine runs them: funds' layers, then commercial ones.
    run_order: Vec<usize>,
    /// Whether each policy layer is a commercial supplement.
    commercial: Vec<bool>,
    /// 综合封顶: the funds' share of the bill at most, in ten-thousandths.
    max_share: Option<i64>,
    from: Date,
    to: Date,
    /// Unit of the reported amounts, in units, and whether halves round up.
    round_unit: i64,
    half_up: bool,
    /// The disease codes that can change a stay's settlement (the catalogue's, the fixed
    /// routes', the layer overrides'): a stay with a matching disease takes the general path.
    diseases: Vec<String>,
}

/// A claim's settlement in fen, with the caps it reached (a bit each, see [`Compiled::limits`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slip {
    /// Each settlement figure in fen, by field (the ratio `pool_prop_selfpay` and `balc` unused;
    /// fields this path never pays into stay 0).
    pub fen: ByKey<i64>,
    /// Bit 0: the per-admission cap, bit 1: the (inpatient) annual cap, bit 2 + i: layer i's
    /// cap, bit 10 + i: the outpatient routes' shared limit i, bit 31: the overall ceiling.
    pub limits: u32,
    /// 0 for a stay (the route `general`), else 1 + the visit's outpatient route.
    pub route: u8,
    /// The referral rules lowered the benefits (the verdict `Penalised`).
    pub penalised: bool,
}

/// A person's year so far, as the compiled path keeps it.
#[derive(Clone, Debug)]
struct Year {
    year: u16,
    admissions: u32,
    hifp_pay: i64,
    deductible_paid: i64,
    /// Per policy layer: the cumulative base (units), what it paid (fen), and whether it ran.
    layers: [(i64, i64, bool); MAX_LAYERS],
    /// Per outpatient route: what the basic fund paid (fen), the 起付线 paid (fen), and whether
    /// a visit took it.
    routes: [(i64, i64, bool); MAX_ROUTES],
}

impl Year {
    fn new(year: u16) -> Year {
        Year {
            year,
            admissions: 0,
            hifp_pay: 0,
            deductible_paid: 0,
            layers: [(0, 0, false); MAX_LAYERS],
            routes: [(0, 0, false); MAX_ROUTES],
        }
    }
}

impl Compiled {
    /// Compile `doc`, or say why it does not compile (its claims then all take the general path).
    pub fn new(doc: &PolicyDoc) -> Result<Compiled, String> {
        let p = &doc.policy;
        if p.layers.len() > MAX_LAYERS {
            return Err(format!("more than {MAX_LAYERS} layers"));
        }
        // The overall step's payments go by these names in the year to date, where a layer of
        // the same name would count them.
        if p.layers
            .iter()
            .any(|l| l.id == "floor" || l.id == "full_relief")
        {
            return Err("a layer named \"floor\" or \"full_relief\"".into());
        }
        // The slip here has the payers the replays' totals count; the rarer ones (公务员医疗补助,
        // 企业补充, 伤残人员) are left to the general path.
        let rare = |k: PaysInto| {
            matches!(
                k,
                PaysInto::CvlservPay | PaysInto::HifesPay | PaysInto::HifdmPay
            )
        };
        if p.layers.iter().any(|l| rare(l.pays_into))
            || p.overall.floor.iter().any(|f| rare(f.pays_into))
            || p.overall.full_relief.iter().any(|f| rare(f.pays_into))
        {
            return Err("a payment into cvlserv_pay, hifes_pay or hifdm_pay".into());
        }
        let max_share = match &p.overall.max_share {
            None => None,
            Some(m) => Some(rate(m.rate.0).ok_or("a max_share not in ten-thousandths")?),
        };
        let round_unit = match p.rounding.unit {
            RoundUnit::Fen => FEN,
            RoundUnit::Jiao => 10 * FEN,
            RoundUnit::Yuan => YUAN,
        };
        let mut bounds = vec![];
        for adj in &p.inpatient.ratio.adjust {
            bounds.extend(adj.when.age_min);
            bounds.extend(adj.when.age_max.map(|m| m.saturating_add(1)));
        }
        if let Some(r) = &p.referral {
            bounds.extend(r.exemptions.age_at_least);
            bounds.extend(r.exemptions.age_at_most.map(|m| m.saturating_add(1)));
        }
        bounds.sort_unstable();
        bounds.dedup();
        // One representative age per class: none, then the start of each interval.
        let ages: Vec<Option<u32>> = std::iter::once(None)
            .chain(std::iter::once(Some(0)))
            .chain(bounds.iter().map(|b| Some(*b)))
            .collect();
        let slots = p.levels.len() * p.categories.len() * ages.len() * situations(p.levels.len());
        let mut diseases: Vec<String> = p.fixed.iter().flat_map(|r| r.diseases.clone()).collect();
        diseases.extend(
            p.catalogue
                .iter()
                .flat_map(|c| c.diseases.iter().map(|d| d.code.clone())),
        );
        for l in &p.layers {
            diseases.extend(l.overrides.iter().flat_map(|o| o.diseases.clone()));
        }
        let probe = Case {
            setting: Setting::Outpatient,
            ..Case::default()
        };
        let general_route = outpatient::select(doc, &probe)
            .ok()
            .and_then(|r| p.outpatient.iter().position(|x| std::ptr::eq(x, r)));
        let mut run_order: Vec<usize> = (0..p.layers.len()).collect();
        run_order.sort_by_key(|&i| p.layers[i].pays_into == PaysInto::CommercialPay);
        Ok(Compiled {
            levels: p.levels.iter().map(|l| l.id.clone()).collect(),
            categories: p.categories.iter().map(|c| c.id.clone()).collect(),
            classes: ages.len(),
            age_bounds: bounds,
            cells: (0..slots).map(|_| OnceLock::new()).collect(),
            visits: (0..(1 + p.catalogue.as_ref().map_or(0, |c| c.diseases.len()))
                * p.outpatient.len().min(MAX_ROUTES)
                * p.levels.len()
                * p.categories.len()
                * ages.len())
                .map(|_| OnceLock::new())
                .collect(),
            visit_diseases: p
                .layers
                .iter()
                .flat_map(|l| l.overrides.iter().flat_map(|o| o.diseases.clone()))
                .collect(),
            general_route,
            route_ids: p.outpatient.iter().map(|r| r.id.clone()).collect(),
            combined_ids: p.outpatient_caps.iter().map(|c| c.id.clone()).collect(),
            ages,
            doc: doc.clone(),
            layer_ids: p.layers.iter().map(|l| l.id.clone()).collect(),
            run_order,
            commercial: p
                .layers
                .iter()
                .map(|l| l.pays_into == PaysInto::CommercialPay)
                .collect(),
            max_share,
            from: p.meta.effective_from,
            to: p.meta.effective_to,
            round_unit,
            half_up: p.rounding.mode == RoundMode::HalfUp,
            diseases,
        })
    }

    /// How many of the (level, category, age class) cells compile for a claim without referral
    /// facts, of how many.
    pub fn coverage(&self) -> (usize, usize) {
        let base = self.levels.len() * self.categories.len() * self.classes;
        let n = (0..base).filter(|b| self.slot(*b, 0).is_some()).count();
        (n, base)
    }

    /// The cell in `slot` (of cell `base`, referral situation `situation`), compiled on first use.
    fn slot(&self, base: usize, situation: usize) -> Option<&Cell> {
        let at = base * situations(self.levels.len()) + situation;
        self.cells[at]
            .get_or_init(|| self.compile(None, base, situation))
            .as_ref()
    }

    /// The cell of a stay (`visit` none) or of a visit by (route, disease), at cell `base` (its
    /// level, category and age class) in referral situation `situation`.
    fn compile(
        &self,
        visit: Option<(usize, Option<&str>)>,
        base: usize,
        situation: usize,
    ) -> Option<Cell> {
        let class = base % self.classes;
        let category = base / self.classes % self.categories.len();
        let level = base / self.classes / self.categories.len();
        let (facts, emergency) = self.situation_facts(situation);
        cell(
            &self.doc,
            visit,
            &self.levels[level],
            &self.categories[category],
            self.ages[class],
            facts,
            emergency,
        )
    }

    /// The visit cell of `route` in `slot` (as [`Compiled::slot`] numbers them) for a disease
    /// of catalogue entry `entry` (0: none; `disease` the visit's code), compiled on first use.
    fn visit_slot(
        &self,
        entry: usize,
        disease: Option<&str>,
        route: usize,
        base: usize,
        situation: usize,
    ) -> Option<&Cell> {
        let routes = self.route_ids.len().min(MAX_ROUTES);
        if route >= routes {
            return None;
        }
        let bases = self.levels.len() * self.categories.len() * self.classes;
        let at = (entry * routes + route) * bases + base;
        let per = self.visits.get(at)?.get_or_init(|| {
            (0..situations(self.levels.len()))
                .map(|_| OnceLock::new())
                .collect()
        });
        per.get(situation)?
            .get_or_init(|| self.compile(Some((route, disease)), base, situation))
            .as_ref()
    }

    /// The catalogue entry of a disease, plus one (`Policy::disease`: the referral verdict
    /// reads the disease only through it); 0 when the catalogue has none.
    fn entry(&self, code: &str) -> usize {
        let p = &self.doc.policy;
        let found = p.disease(code);
        let list = p.catalogue.as_ref().map_or(&[][..], |c| &c.diseases[..]);
        found
            .and_then(|d| list.iter().position(|x| std::ptr::eq(x, d)))
            .map_or(0, |i| i + 1)
    }

    /// The outpatient route a visit takes (`outpatient::select`, the engine's own choice): the
    /// general route for a visit naming neither a route nor a disease, without reading it.
    fn route_of(&self, k: &Key, c: &Claim) -> Option<usize> {
        if !k.has(Key::ROUTE) && !k.has(Key::DISEASE) {
            return self.general_route;
        }
        let probe = Case {
            setting: Setting::Outpatient,
            route: c.route.clone(),
            disease: c.disease.clone(),
            ..Case::default()
        };
        let r = outpatient::select(&self.doc, &probe).ok()?;
        let p = &self.doc.policy;
        p.outpatient.iter().position(|x| std::ptr::eq(x, r))
    }

    /// A claim's referral situation: where from, the slip (none, valid, expired), whether and
    /// how it was filed, and whether it was an emergency — all the verdict reads of a claim.
    fn situation(&self, b: &Binding, k: &Key) -> Option<usize> {
        let from = match k.from_level {
            0 => 0,
            l => 1 + b.level(l - 1)?,
        };
        let slip = match (&self.doc.policy.referral, k.has(Key::SLIP)) {
            (_, false) => 0,
            (Some(r), true) => {
                let facts = ReferralFacts {
                    slip: true,
                    slip_date: k.has(Key::SLIP_DATE).then_some(k.slip_date),
                    ..ReferralFacts::default()
                };
                if referral::slip_valid(r, &facts, k.date) {
                    1
                } else {
                    2
                }
            }
            (None, true) => 1,
        };
        let kind = usize::from((k.flags >> Key::KIND_SHIFT) & 0xf);
        Some(
            (((from * 3 + slip) * 2 + usize::from(k.has(Key::FILING))) * KINDS + kind) * 2
                + usize::from(k.has(Key::EMERGENCY)),
        )
    }

    /// Facts that put a probe case in `situation` (the inverse of [`Compiled::situation`]).
    fn situation_facts(&self, situation: usize) -> (ReferralFacts, bool) {
        let emergency = situation % 2 == 1;
        let kind = situation / 2 % KINDS;
        let filing = situation / 2 / KINDS % 2 == 1;
        let slip = situation / 2 / KINDS / 2 % 3;
        let from = situation / 2 / KINDS / 2 / 3;
        let days = self
            .doc
            .policy
            .referral
            .as_ref()
            .and_then(|r| r.upward.as_ref())
            .and_then(|u| u.validity_days);
        // An expired slip: issued a day more than its validity before the admission.
        let slip_date = match (slip, days) {
            (2, Some(d)) => Some(Date::from_days(self.from.days() - i64::from(d) - 1)),
            _ => None,
        };
        let facts = ReferralFacts {
            from_level: from.checked_sub(1).map(|i| self.levels[i].clone()),
            slip: slip > 0,
            slip_date,
            filing,
            filing_kind: kind.checked_sub(1).map(|k| FilingKind::ALL[k]),
        };
        (facts, emergency)
    }

    /// The policy's levels and categories, in order (what a [`Binding`] points into).
    pub fn levels(&self) -> &[String] {
        &self.levels
    }
    pub fn categories(&self) -> &[String] {
        &self.categories
    }
    /// The first day of the policy (months are counted from its month).
    pub fn from(&self) -> Date {
        self.from
    }
    pub fn to(&self) -> Date {
        self.to
    }

    /// The policy's codes for a file's levels and categories ([`Keys`]).
    pub fn bind(&self, keys: &Keys) -> Binding {
        let find = |ids: &[String], id: &String| ids.iter().position(|x| x == id);
        Binding {
            levels: keys.levels.iter().map(|l| find(&self.levels, l)).collect(),
            categories: keys
                .categories
                .iter()
                .map(|c| find(&self.categories, c))
                .collect(),
        }
    }

    /// The cell a claim settles in, when the compiled path covers it. `c` is read only for a
    /// claim with a disease (rare in bulk, and a string).
    #[inline]
    fn cell_of(&self, b: &Binding, k: &Key, c: &Claim) -> Option<&Cell> {
        if !k.has(Key::PLAIN) || k.date < self.from || k.date > self.to {
            return None;
        }
        let visit = k.has(Key::OUTPATIENT);
        // A visit's disease may be the catalogue's (its cells are the catalogue entry's own);
        // a stay's or visit's disease another rule names is left to the general path.
        let mut entry = 0;
        if k.has(Key::DISEASE) {
            let code = c.disease.as_deref()?;
            let named = if visit {
                &self.visit_diseases
            } else {
                &self.diseases
            };
            if named.iter().any(|d| icd_matches(d, code)) || !looks_like_icd10(code) {
                return None;
            }
            if visit {
                entry = self.entry(code);
            }
        }
        let l = b.level(k.level)?;
        let cat = b.category(k.category)?;
        let class = match k.age {
            Key::NO_AGE => 0,
            a => 1 + self.age_bounds.partition_point(|b| *b <= u32::from(a)),
        };
        let situation = self.situation(b, k)?;
        let base = (l * self.categories.len() + cat) * self.classes + class;
        let cell = if visit {
            let disease = c.disease.as_deref().filter(|_| entry > 0);
            self.visit_slot(entry, disease, self.route_of(k, c)?, base, situation)?
        } else {
            self.slot(base, situation)?
        };
        (k.in_scope >= 0 || !cell.has_mix).then_some(cell)
    }

    /// One person's claims (in settlement order, as `replay::person` takes them), or `None`
    /// when any of them is outside what compiled: the caller settles the person by the general
    /// path. A new calendar year starts from nothing.
    pub fn person(&self, claims: &[&Claim]) -> Option<Vec<Slip>> {
        let (mine, keys, b, idx) = self.keyed(claims);
        let mut out = vec![];
        self.settle_person(&b, &keys.keys, &mine, &idx, &mut out)
            .then_some(out)
    }

    /// A person's claims as a file of their own: the claims, their keys and binding, and
    /// their indices in order.
    fn keyed(&self, claims: &[&Claim]) -> (Vec<Claim>, Keys, Binding, Vec<u32>) {
        let mine: Vec<Claim> = claims.iter().map(|c| (*c).clone()).collect();
        let keys = Keys::of(&mine);
        let b = self.bind(&keys);
        let idx = (0..mine.len() as u32).collect();
        (mine, keys, b, idx)
    }

    /// [`Compiled::person`] for the claims `idx` of a file (`claims` and their `keys`), into
    /// a buffer kept from person to person: `out` holds the slips when this returns true.
    pub fn settle_person(
        &self,
        b: &Binding,
        keys: &[Key],
        claims: &[Claim],
        idx: &[u32],
        out: &mut Vec<Slip>,
    ) -> bool {
        out.clear();
        self.year(b, keys, claims, idx, |s| out.push(s)).is_some()
    }

    /// The claims `idx` one after the other, `slip` told of each, and the year they leave (a
    /// new calendar year starts from nothing); `None` as soon as one is not covered.
    fn year(
        &self,
        b: &Binding,
        keys: &[Key],
        claims: &[Claim],
        idx: &[u32],
        mut slip: impl FnMut(Slip),
    ) -> Option<Year> {
        let mut year = Year::new(0);
        for &i in idx {
            let (k, c) = (&keys[i as usize], &claims[i as usize]);
            if year.year != k.date.year {
                year = Year::new(k.date.year);
            }
            slip(self.claim(b, k, c, &mut year)?);
        }
        Some(year)
    }

    /// One claim against the year so far (updated), the engine's steps in integers.
    #[inline]
    fn claim(&self, b: &Binding, k: &Key, c: &Claim, y: &mut Year) -> Option<Slip> {
        let cell = self.cell_of(b, k, c)?;
        if y.admissions > MAX_ADMISSIONS {
            return None;
        }
        let total = k.total * FEN;
        let inscope = if k.in_scope >= 0 {
            k.in_scope * FEN
        } else {
            total
        };
        if inscope > total {
            return None;
        }
        let fulamt = total - inscope;
        let (dedc, mut hifp, mut burden, mut limits) = match &cell.basic {
            Basic::Stay(st) => Self::stay(st, inscope, y)?,
            Basic::Visit(v) => Self::visit(v, inscope, y)?,
        };
        // What was paid after the basic fund, in the order the engine paid it (`Amounts::paid`).
        let mut seq = [Paid::default(); MAX_PAID];
        let mut n = 0;
        let mut outside_paid = 0i64;
        // layers::layers for the funds, layers::overall, layers::layers for commercial ones.
        for j in 0..=cell.layers.len() {
            if j == cell.funds {
                self.overall(cell, total, &mut hifp, &mut seq, &mut n, &mut limits)?;
            }
            let Some(l) = cell.layers.get(j) else { break };
            if l.min_bill.is_some_and(|m| total < m) {
                continue;
            }
            let (base, paid_before, _) = y.layers[l.layer];
            let on = match l.on {
                LayerBase::InScope => burden,
                LayerBase::OutOfScope => sat(fulamt - outside_paid),
                // Declared fallback: the cap point is not compiled; the person takes the
                // general path.
                LayerBase::AboveBasicCap => return None,
            };
            let after = l.sched.pay(l.threshold, base.checked_add(on)?)?;
            let raw = sat(after - l.sched.pay(l.threshold, base)?);
            let before = paid_before.checked_mul(FEN)?;
            let left = l.cap.map(|c| sat(c - before));
            let pay = left.map_or(raw, |c| raw.min(c)).min(on);
            if left.is_some_and(|c| raw > c) {
                limits |= 1 << (2 + l.layer);
            }
            match l.on {
                LayerBase::InScope => burden = sat(burden - pay),
                LayerBase::OutOfScope => outside_paid += pay,
                LayerBase::AboveBasicCap => return None,
            }
            seq[n] = Paid {
                into: l.into,
                pay,
                layer: Some(l.layer),
            };
            n += 1;
            y.layers[l.layer].0 = base + on;
            y.layers[l.layer].2 = true;
        }
        let seq = &seq[..n];
        // What was paid, by payer, unrounded.
        let mut into = [0i64; PaysInto::ALL.len()];
        for p in seq {
            into[p.into as usize] += p.pay;
        }
        let by = |k: PaysInto| into[k as usize];
        // round_settlement: running totals, so the parts add up to the rounded whole.
        let rd = |x: i64| self.round(x);
        let split = parts(&[fulamt, 0, 0, inscope], rd);
        let payers = parts(
            &[
                hifp,
                by(PaysInto::HifmiPay),
                by(PaysInto::HifobPay),
                by(PaysInto::MafPay),
                by(PaysInto::OthPay),
                0,
            ],
            rd,
        );
        let medfee = rd(total);
        let mut s = Slip {
            limits,
            penalised: cell.penalised,
            route: match &cell.basic {
                Basic::Stay(_) => 0,
                Basic::Visit(v) => 1 + v.route as u8,
            },
            ..Slip::default()
        };
        let f = &mut s.fen;
        f[F::MedfeeSumamt] = medfee;
        f[F::FulamtOwnpayAmt] = split[0];
        f[F::InscpScpAmt] = split[3];
        f[F::ActPayDedc] = rd(dedc);
        f[F::HifpPay] = payers[0];
        f[F::HifmiPay] = payers[1];
        f[F::HifobPay] = payers[2];
        f[F::MafPay] = payers[3];
        f[F::OthPay] = payers[4];
        f[F::FundPaySumamt] =
            f[F::HifpPay] + f[F::HifmiPay] + f[F::HifobPay] + f[F::MafPay] + f[F::OthPay];
        f[F::PsnPartAmt] = sat(medfee - f[F::FundPaySumamt]);
        f[F::PsnCashPay] = f[F::PsnPartAmt];
        f[F::YbCommercialPay] = rd(by(PaysInto::CommercialPay)).min(f[F::PsnPartAmt]);
        // update_ytd: the year counts what the slip reports, shared over the layers per payer.
        match &cell.basic {
            Basic::Stay(_) => {
                y.admissions += 1;
                y.hifp_pay += s.fen[F::HifpPay];
                y.deductible_paid += s.fen[F::ActPayDedc];
            }
            // A route paid out of the inpatient annual limit counts toward it.
            Basic::Visit(v) => {
                if v.shares_inpatient {
                    y.hifp_pay += s.fen[F::HifpPay];
                }
                let r = &mut y.routes[v.route];
                *r = (r.0 + s.fen[F::HifpPay], r.1 + s.fen[F::ActPayDedc], true);
            }
        }
        for key in PaysInto::ALL
            .into_iter()
            .filter(|k| cell.pays_into & (1 << *k as u8) != 0)
        {
            let last = seq.iter().rposition(|p| p.into == key);
            let mut left = s.field(key);
            for (i, p) in seq.iter().enumerate().filter(|(_, p)| p.into == key) {
                let share = if Some(i) == last {
                    left
                } else {
                    rd(p.pay).min(left)
                };
                left -= share;
                // A floor's or full relief's share counts for no layer's year.
                if let Some(l) = p.layer {
                    y.layers[l].1 += share;
                }
            }
        }
        Some(s)
    }

    /// A stay's basic fund: the 起付线 (general::deductible, compiled per nth admission), the
    /// fund's bands, then general::caps (per admission, then the year's). The 起付线 paid, the
    /// fund's payment, what the patient still owes in scope, and the caps reached.
    #[inline]
    fn stay(st: &Stay, inscope: i64, y: &Year) -> Option<(i64, i64, i64, u32)> {
        let nth = (y.admissions as usize).min(st.deductible.len() - 1);
        let mut ded = st.deductible[nth];
        if st.once_a_year {
            ded = sat(ded - y.deductible_paid.checked_mul(FEN)?);
        }
        let dedc = ded.min(inscope);
        let mut hifp = st.ratio.pay(dedc, inscope)?;
        let mut burden = sat(inscope - hifp);
        let mut limits = 0u32;
        let mut cap = |hifp: &mut i64, burden: &mut i64, cap: i64, bit: u32| {
            if *hifp > cap {
                *burden += *hifp - cap;
                *hifp = cap;
                limits |= 1 << bit;
            }
        };
        if let Some(c) = st.per_admission {
            cap(&mut hifp, &mut burden, c, 0);
        }
        if let Some(c) = st.annual {
            cap(
                &mut hifp,
                &mut burden,
                sat(c - y.hifp_pay.checked_mul(FEN)?),
                1,
            );
        }
        Some((dedc, hifp, burden, limits))
    }

    /// A visit's basic fund (outpatient::basic): what is left of the route's annual 起付线 plus
    /// the level's per-visit one, the route's ratio, its per-visit and annual caps, then the
    /// limits it shares (outpatient::shared_limits: with other routes, then the inpatient
    /// annual limit). As [`Compiled::stay`] returns.
    #[inline]
    fn visit(v: &Visit, inscope: i64, y: &Year) -> Option<(i64, i64, i64, u32)> {
        let (paid, used, _) = y.routes[v.route];
        let ded_left = match v.annual_ded {
            Some(d) => sat(d - used.checked_mul(FEN)?),
            None => 0,
        };
        let dedc = ded_left.checked_add(v.per_visit_ded)?.min(inscope);
        let mut pay = times(inscope - dedc, v.rate)?;
        if let Some(c) = v.per_visit_cap {
            pay = pay.min(c);
        }
        if let Some(c) = v.annual_cap {
            pay = pay.min(sat(c - paid.checked_mul(FEN)?));
        }
        let mut limits = 0u32;
        for (i, cap, routes) in &v.combined {
            let before: i64 = routes.iter().map(|&r| y.routes[r].0).sum();
            let left = sat(cap - before.checked_mul(FEN)?);
            if pay > left {
                pay = left;
                limits |= 1 << (COMBINED_SHIFT + i);
            }
        }
        if let (true, Some(c)) = (v.shares_inpatient, v.inpatient_annual) {
            let left = sat(c - y.hifp_pay.checked_mul(FEN)?);
            if pay > left {
                pay = left;
                limits |= 1 << 1;
            }
        }
        Some((dedc, pay, inscope - pay, limits))
    }

    /// layers::overall: the ceiling on the funds' share (the last payment trimmed first, the
    /// basic fund last), then the category's floors and full relief, each a payment of its own.
    fn overall(
        &self,
        cell: &Cell,
        total: i64,
        hifp: &mut i64,
        seq: &mut [Paid; MAX_PAID],
        n: &mut usize,
        limits: &mut u32,
    ) -> Option<()> {
        let funds = |hifp: i64, seq: &[Paid]| -> i64 {
            hifp + seq
                .iter()
                .filter(|p| p.into != PaysInto::CommercialPay)
                .map(|p| p.pay)
                .sum::<i64>()
        };
        if let Some(r) = self.max_share {
            let mut excess = sat(funds(*hifp, &seq[..*n]) - times(total, r)?);
            if excess > 0 {
                for p in seq[..*n].iter_mut().rev() {
                    let cut = excess.min(p.pay);
                    p.pay -= cut;
                    excess -= cut;
                }
                *hifp -= excess.min(*hifp);
                *limits |= MAX_SHARE;
            }
        }
        // What the patient would still pay (the hospital bears nothing on this path).
        let patient = |hifp: i64, seq: &[Paid]| sat(total - funds(hifp, seq));
        for &(r, into) in &cell.floors {
            let top_up =
                sat(times(total, r)? - funds(*hifp, &seq[..*n])).min(patient(*hifp, &seq[..*n]));
            if top_up > 0 {
                seq[*n] = Paid {
                    into,
                    pay: top_up,
                    layer: None,
                };
                *n += 1;
            }
        }
        if let Some(into) = cell.full_relief {
            let rest = patient(*hifp, &seq[..*n]);
            if rest > 0 {
                seq[*n] = Paid {
                    into,
                    pay: rest,
                    layer: None,
                };
                *n += 1;
            }
        }
        Some(())
    }

    /// Units to reported fen, per the policy's rounding (amounts here are never negative).
    #[inline]
    fn round(&self, x: i64) -> i64 {
        // One arm per unit, so that each division is by a constant (a multiply on the machine).
        fn to<const U: i64>(x: i64, half_up: bool) -> i64 {
            let whole = if half_up { (x + U / 2) / U } else { x / U };
            whole * (U / FEN)
        }
        match self.round_unit {
            FEN => to::<FEN>(x, self.half_up),
            u if u == 10 * FEN => to::<{ 10 * FEN }>(x, self.half_up),
            _ => to::<YUAN>(x, self.half_up),
        }
    }

    /// The names of the caps in `limits`, in the order the engine records them: the basic
    /// fund's, then the layers' in the order they ran (funds' layers before commercial ones).
    pub fn limits(&self, limits: u32) -> Vec<String> {
        let mut out = vec![];
        if limits == 0 {
            return out;
        }
        // A stay's per-admission cap, or a visit's shared limits, come before the annual cap.
        if limits & 1 != 0 {
            out.push("hifp_pay:per_admission".to_string());
        }
        for (i, id) in self.combined_ids.iter().enumerate().take(MAX_COMBINED) {
            if limits & (1 << (COMBINED_SHIFT + i)) != 0 {
                out.push(format!("hifp_pay:combined:{id}"));
            }
        }
        if limits & (1 << 1) != 0 {
            out.push("hifp_pay:annual".to_string());
        }
        // The overall ceiling is reached after the funds' layers, before commercial ones.
        let mut share = limits & MAX_SHARE != 0;
        for &i in &self.run_order {
            if share && self.commercial[i] {
                out.push("overall:max_share".to_string());
                share = false;
            }
            if limits & (1 << (2 + i)) != 0 {
                out.push(format!("layer:{}", self.layer_ids[i]));
            }
        }
        if share {
            out.push("overall:max_share".to_string());
        }
        out
    }

    /// The slip as the general path reports it.
    pub fn settled(&self, s: &Slip) -> Settled {
        let m = |f: i64| Money(Decimal::new(f, 2));
        let mut settlement = Settlement::default();
        for k in F::ALL {
            settlement.set_amount(k, m(s.fen[k]));
        }
        settlement.pool();
        Settled {
            settlement,
            route: match s.route {
                0 => "general".into(),
                r => self.route_ids[usize::from(r) - 1].clone(),
            },
            eligibility: if s.penalised {
                Eligibility::Penalised
            } else {
                Eligibility::Allowed
            },
            limits: self.limits(s.limits),
        }
    }

    /// The year to date after a person's claims, as the general path would have it (for tests).
    pub fn ytd_after(&self, claims: &[&Claim]) -> Option<Ytd> {
        let (mine, keys, b, idx) = self.keyed(claims);
        let year = self.year(&b, &keys.keys, &mine, &idx, |_| {})?;
        let m = |f: i64| Money(Decimal::new(f, 2));
        let mut ytd = Ytd {
            admissions: year.admissions,
            hifp_pay: m(year.hifp_pay),
            deductible_paid: m(year.deductible_paid),
            ..Ytd::default()
        };
        for (i, (base, paid, ran)) in year.layers.iter().enumerate() {
            if *ran {
                let base = Money(Decimal::new(*base, 10));
                let entry = LayerYtd {
                    base,
                    paid: m(*paid),
                };
                ytd.layers.insert(self.layer_ids[i].clone(), entry);
            }
        }
        for (i, (paid, used, ran)) in year.routes.iter().enumerate() {
            if *ran {
                let entry = RouteYtd {
                    paid: m(*paid),
                    deductible_used: m(*used),
                };
                ytd.outpatient.insert(self.route_ids[i].clone(), entry);
            }
        }
        Some(ytd)
    }
}

impl Slip {
    fn field(&self, k: PaysInto) -> i64 {
        // Compiled::new declines a policy that pays into cvlserv_pay, hifes_pay or hifdm_pay:
        // they stay 0.
        self.fen[k.key()]
    }
}

/// `round_parts` in fen: part i = round(sum of 0..=i) − round(sum of 0..i).
fn parts<const N: usize>(xs: &[i64; N], rd: impl Fn(i64) -> i64) -> [i64; N] {
    let mut out = [0; N];
    let (mut sum, mut prev) = (0i64, 0i64);
    for (o, x) in out.iter_mut().zip(xs) {
        sum += x;
        let now = rd(sum);
        *o = now - prev;
        prev = now;
    }
    out
}

/// The cell for a stay (`route` `None`) or a visit on an outpatient route, at one level, for
/// one category and representative age, by the engine's own functions on a probe case; `None`
/// when something in it is left to the general path.
fn cell(
    doc: &PolicyDoc,
    visit: Option<(usize, Option<&str>)>,
    level: &str,
    category: &str,
    age: Option<u32>,
    referral: ReferralFacts,
    emergency: bool,
) -> Option<Cell> {
    let p = &doc.policy;
    let route = visit.map(|v| v.0);
    let probe = |admissions: u32| Case {
        date: Some(p.meta.effective_from),
        setting: match route {
            None => Setting::Inpatient,
            Some(_) => Setting::Outpatient,
        },
        route: route.map(|r| p.outpatient[r].id.clone()),
        disease: visit.and_then(|v| v.1).map(str::to_string),
        level: level.to_string(),
        patient: Patient {
            category: category.to_string(),
            age,
            ..Patient::default()
        },
        referral: referral.clone(),
        emergency,
        ytd: Ytd {
            admissions,
            ..Ytd::default()
        },
        ..Case::default()
    };
    let case = probe(0);
    let verdict = referral::assess(p, &case, p.meta.effective_from);
    let pen = &verdict.penalty;
    // Penalties on the deductible and the ratio are applied by `general::deductible` and
    // `general::ratio` below; one that moves part of the bill (先行自付) or refuses it is left
    // to the general path.
    if verdict.eligibility == Eligibility::NotReimbursed
        || pen.preselfpay.is_some()
        || pen.not_reimbursed
    {
        return None;
    }
    let o = &p.overall;
    let has = |cs: &[String]| cs.iter().any(|c| c == category);
    let floors = o
        .floor
        .iter()
        .filter(|f| has(&f.categories))
        .map(|f| Some((rate(f.min_ratio.0)?, f.pays_into)))
        .collect::<Option<Vec<_>>>()?;
    if floors.len() > MAX_FLOORS {
        return None;
    }
    let full_relief = o
        .full_relief
        .iter()
        .find(|f| has(&f.categories))
        .map(|f| f.pays_into);
    let basic = match route {
        None => Basic::Stay(stay(doc, level, &case, &verdict, &probe)?),
        Some(r) => Basic::Visit(visit_terms(doc, r, &case, &verdict)?),
    };
    let mut cell_layers = vec![];
    for commercial in [false, true] {
        for (i, l) in p.layers.iter().enumerate() {
            let eligible = l.categories.as_ref().is_none_or(|cs| has(cs))
                && !l.opt_in
                && (route.is_none() || l.outpatient);
            if (l.pays_into == PaysInto::CommercialPay) != commercial || !eligible {
                continue;
            }
            let layers::Terms {
                threshold,
                tiers,
                points,
                mut cap,
                ..
            } = layers::terms(l, &case);
            // Claims carry no years of enrolment, so a raise is what the engine gives for none.
            if let (Some(cp), Some(raise)) = (cap, &l.cap_raise) {
                cap = Some(cp + layers::cap_raise(raise, cp, &case).0);
            }
            cell_layers.push(CellLayer {
                layer: i,
                into: l.pays_into,
                on: l.on,
                min_bill: opt_units(l.min_bill)?,
                threshold: units(threshold)?,
                sched: Sched::new(l.base, tiers, points)?,
                cap: opt_units(cap)?,
            });
        }
    }
    Some(Cell {
        penalised: verdict.eligibility == Eligibility::Penalised,
        has_mix: p
            .typical_mix
            .as_ref()
            .is_some_and(|t| t.by_level.contains_key(level)),
        basic,
        pays_into: cell_layers
            .iter()
            .map(|l| l.into)
            .chain(floors.iter().map(|f| f.1))
            .chain(full_relief)
            .fold(0, |b, into| b | 1 << into as u8),
        floors,
        full_relief,
        funds: cell_layers
            .iter()
            .filter(|l| l.into != PaysInto::CommercialPay)
            .count(),
        layers: cell_layers,
    })
}

/// A stay's basic-fund terms (`probe(n)`: the case at its nth admission of the year).
fn stay(
    doc: &PolicyDoc,
    level: &str,
    case: &Case,
    verdict: &referral::Verdict,
    probe: &dyn Fn(u32) -> Case,
) -> Option<Stay> {
    let p = &doc.policy;
    let d = &p.inpatient.deductible;
    // Declared fallbacks: a 起付线 as a share of the bill, and nth-admission rules by age or by
    // disease (the compiled classes split neither), take the general path.
    if d.percent_of_bill.contains_key(level)
        || d.nth_admission
            .iter()
            .any(|r| !r.ages.is_empty() || !r.diseases.is_empty())
    {
        return None;
    }
    // The nth-admission rules settle down after their last `from`, except a step-down, which
    // keeps lowering (to its minimum) up to the most admissions a year can have.
    let last = if d.nth_admission.iter().any(|r| r.step_down.is_some()) {
        MAX_ADMISSIONS + 1
    } else {
        d.nth_admission.iter().map(|r| r.from).max().unwrap_or(1)
    };
    let mut tr = Trace::silent(p);
    let none = Amounts::default();
    let deductible = (0..last.max(1))
        .map(|n| units(general::deductible(p, &probe(n), verdict, &none, &mut tr)))
        .collect::<Option<Vec<_>>>()?;
    let (sched, points, _) = general::ratio(p, case, verdict, &mut tr).ok()?;
    let ratio = Sched::new(sched.base, &sched.tiers, points)?;
    let c = &p.inpatient.caps;
    let annual = match general::table(p, case).filter(|t| t.annual_fund.is_some()) {
        Some(t) => t.annual_fund,
        None => c.annual_fund,
    };
    Some(Stay {
        deductible,
        once_a_year: d.once_a_year.is_some(),
        ratio,
        per_admission: opt_units(c.per_admission)?,
        annual: opt_units(annual)?,
    })
}

/// A visit's basic-fund terms on outpatient route `r` (`outpatient::terms`, the engine's own).
/// Declared fallbacks: a route past [`MAX_ROUTES`] or sharing a limit past [`MAX_COMBINED`] (its
/// year to date has no place here), a level the route does not pay at (the general path says
/// so), and a ratio not in ten-thousandths (a penalty's factor can make one).
fn visit_terms(
    doc: &PolicyDoc,
    r: usize,
    case: &Case,
    verdict: &referral::Verdict,
) -> Option<Visit> {
    let p = &doc.policy;
    if r >= MAX_ROUTES {
        return None;
    }
    let route = &p.outpatient[r];
    let t = outpatient::terms(route, case, verdict).ok()?;
    let mut combined = vec![];
    for (i, cc) in p.outpatient_caps.iter().enumerate() {
        if !cc.routes.contains(&route.id) {
            continue;
        }
        if i >= MAX_COMBINED {
            return None;
        }
        // Every route listed counts (as listed); a route the policy lacks has no year.
        let mut routes = vec![];
        for id in &cc.routes {
            if let Some(j) = p.outpatient.iter().position(|x| &x.id == id) {
                if j >= MAX_ROUTES {
                    return None;
                }
                routes.push(j);
            }
        }
        combined.push((i, units(cc.annual_cap)?, routes));
    }
    let inpatient_annual = match general::annual_cap(p, case) {
        Some((m, _)) if route.shares_inpatient_cap => Some(units(m)?),
        _ => None,
    };
    Some(Visit {
        route: r,
        rate: rate(t.rate.0)?,
        annual_ded: opt_units(t.annual_ded)?,
        per_visit_ded: opt_units(t.per_visit_ded)?.unwrap_or(0),
        per_visit_cap: opt_units(route.per_visit_cap)?,
        annual_cap: opt_units(t.annual_cap)?,
        combined,
        shares_inpatient: route.shares_inpatient_cap,
        inpatient_annual,
    })
}
