//! Replaying claims (提标测算): every claim of a year through a policy, person by person in date
//! order, so caps, later admissions and layer thresholds chain as they do in real settlement.
//! Pure, like the rest of core: the batch crate (`batch/`) adds files, threads and progress.

use crate::case::Ytd;
use crate::claims::{column_of, Claim};
use crate::date::Date;
use crate::error::Problems;
use crate::estimate::{settle, Settled, Settlement};
use crate::money::Money;
use crate::policy::PolicyDoc;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The claims of each person, as indices into `claims`: persons in the order they first appear,
/// each person's claims by date (claims on the same day in file order). This is the one
/// partition every front end uses — the CLI's threads, the Python package and a Spark job.
pub fn by_person(claims: &[Claim]) -> Vec<Vec<usize>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut persons: Vec<Vec<usize>> = Vec::new();
    for (i, c) in claims.iter().enumerate() {
        let slot = *index.entry(c.person_id.as_str()).or_insert_with(|| {
            persons.push(Vec::new());
            persons.len() - 1
        });
        persons[slot].push(i);
    }
    for p in &mut persons {
        // A stable sort keeps same-day claims in file order.
        p.sort_by_key(|&i| claims[i].date);
    }
    persons
}

/// One person's claims (in the order given) through the policy, with the year to date chained
/// from one to the next; a new calendar year starts from nothing. A claim the engine refuses
/// (an unknown level, a date outside the policy) leaves the year to date as it was.
pub fn person(doc: &PolicyDoc, claims: &[&Claim]) -> Vec<Result<Settled, Problems>> {
    let mut ytd = Ytd::default();
    let mut year = None;
    claims
        .iter()
        .map(|c| {
            if year != Some(c.date.year) {
                ytd = Ytd::default();
                year = Some(c.date.year);
            }
            let case = c.to_case(std::mem::take(&mut ytd));
            match settle(doc, &case, c.date) {
                Ok((s, after)) => {
                    ytd = after;
                    Ok(s)
                }
                Err(ps) => {
                    ytd = case.ytd;
                    Err(on_columns(ps))
                }
            }
        })
        .collect()
}

/// A case's problems, placed at the claims file's columns.
fn on_columns(mut ps: Problems) -> Problems {
    for p in &mut ps.0 {
        p.path = column_of(&p.path).to_string();
    }
    ps
}

/// What a group of claims cost, by payer, to the fen (sums of the slips' rounded amounts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub claims: u64,
    /// 医疗费总额.
    pub medfee_sumamt: Money,
    pub inscp_scp_amt: Money,
    /// 基本统筹.
    pub hifp_pay: Money,
    /// 居民大病保险.
    pub hifmi_pay: Money,
    /// 职工大额补助.
    pub hifob_pay: Money,
    /// 医疗救助.
    pub maf_pay: Money,
    pub oth_pay: Money,
    pub fund_pay_sumamt: Money,
    /// 个人负担 (before commercial supplements).
    pub psn_part_amt: Money,
    pub hosp_part_amt: Money,
    pub commercial_pay: Money,
    /// The sum of each claim's 实际报销比例 (fund ÷ bill), for their mean.
    #[serde(serialize_with = "signed")]
    pub ratio_sum: Decimal,
}

/// Add the amount fields `$from` shares with `Totals` into `$to` (one list for a settlement
/// and for another group's totals).
macro_rules! sum_amounts {
    ($to:expr, $from:expr) => {{
        let (to, from) = ($to, $from);
        to.medfee_sumamt += from.medfee_sumamt;
        to.inscp_scp_amt += from.inscp_scp_amt;
        to.hifp_pay += from.hifp_pay;
        to.hifmi_pay += from.hifmi_pay;
        to.hifob_pay += from.hifob_pay;
        to.maf_pay += from.maf_pay;
        to.oth_pay += from.oth_pay;
        to.fund_pay_sumamt += from.fund_pay_sumamt;
        to.psn_part_amt += from.psn_part_amt;
        to.hosp_part_amt += from.hosp_part_amt;
        to.commercial_pay += from.commercial_pay;
    }};
}

impl Totals {
    fn add(&mut self, s: &Settlement) {
        self.claims += 1;
        sum_amounts!(&mut *self, s);
        self.ratio_sum += ratio(s);
    }
    fn merge(&mut self, o: &Totals) {
        self.claims += o.claims;
        sum_amounts!(&mut *self, o);
        self.ratio_sum += o.ratio_sum;
    }
    /// The funds' share of all the bills (实际报销比例 of the group), to a hundredth of a percent.
    pub fn actual_ratio(&self) -> Decimal {
        if self.medfee_sumamt.is_zero() {
            Decimal::ZERO
        } else {
            (self.fund_pay_sumamt.0 / self.medfee_sumamt.0).round_dp(4)
        }
    }
    /// The mean of the claims' own ratios.
    pub fn mean_ratio(&self) -> Decimal {
        if self.claims == 0 {
            Decimal::ZERO
        } else {
            (self.ratio_sum / Decimal::from(self.claims)).round_dp(4)
        }
    }
}

/// A claim's 实际报销比例: fund ÷ bill, to a hundredth of a percent as the estimate reports it.
/// Rounded before it is summed, so that sums are exact and the same in any order (an unrounded
/// quotient has 28 digits, and adding such numbers rounds in the last one).
pub fn ratio(s: &Settlement) -> Decimal {
    if s.medfee_sumamt.is_zero() {
        Decimal::ZERO
    } else {
        (s.fund_pay_sumamt.0 / s.medfee_sumamt.0).round_dp(4)
    }
}

/// How many claims had an actual ratio in each tenth: `[0] = 0–10 %` … `[9] = 90–100 %`.
pub const RATIO_BANDS: usize = 10;

/// A replay's totals and breakdowns; summaries of parts merge into the summary of the whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub persons: u64,
    pub all: Totals,
    pub by_setting: BTreeMap<String, Totals>,
    pub by_level: BTreeMap<String, Totals>,
    pub by_category: BTreeMap<String, Totals>,
    /// By `YYYY-MM` of the claim's date.
    pub by_month: BTreeMap<String, Totals>,
    /// Claims by actual ratio, in tenths ([`RATIO_BANDS`]).
    pub ratio_bands: [u64; RATIO_BANDS],
    /// How many persons reached each cap or ceiling at least once (`hifp_pay:annual`, `layer:<id>` …).
    pub cap_hits: BTreeMap<String, u64>,
    /// Claims the engine refused (listed by the caller with their problems).
    pub refused: u64,
}

impl Summary {
    /// Add one person's claims and their results (as [`person`] returns them).
    pub fn add_person(&mut self, claims: &[&Claim], results: &[Result<Settled, Problems>]) {
        self.persons += 1;
        let mut caps = BTreeSet::new();
        for (c, r) in claims.iter().zip(results) {
            let Ok(s) = r else {
                self.refused += 1;
                continue;
            };
            let st = &s.settlement;
            self.all.add(st);
            add_to(&mut self.by_setting, c.setting.as_str(), st);
            add_to(&mut self.by_level, &c.level, st);
            add_to(&mut self.by_category, &c.category, st);
            add_to(&mut self.by_month, &month(c.date), st);
            let band = (ratio(st) * Decimal::TEN).floor();
            let band = usize::try_from(band.mantissa()).unwrap_or(0);
            self.ratio_bands[band.min(RATIO_BANDS - 1)] += 1;
            caps.extend(s.limits.iter().map(String::as_str));
        }
        for k in caps {
            *self.cap_hits.entry(k.to_string()).or_default() += 1;
        }
    }

    pub fn merge(&mut self, o: &Summary) {
        self.persons += o.persons;
        self.all.merge(&o.all);
        for (mine, theirs) in [
            (&mut self.by_setting, &o.by_setting),
            (&mut self.by_level, &o.by_level),
            (&mut self.by_category, &o.by_category),
            (&mut self.by_month, &o.by_month),
        ] {
            for (k, t) in theirs {
                mine.entry(k.clone()).or_default().merge(t);
            }
        }
        for (a, b) in self.ratio_bands.iter_mut().zip(o.ratio_bands) {
            *a += b;
        }
        for (k, n) in &o.cap_hits {
            *self.cap_hits.entry(k.clone()).or_default() += n;
        }
        self.refused += o.refused;
    }
}

fn add_to(map: &mut BTreeMap<String, Totals>, key: &str, s: &Settlement) {
    match map.get_mut(key) {
        Some(t) => t.add(s),
        None => map.entry(key.to_string()).or_default().add(s),
    }
}

fn month(d: Date) -> String {
    format!("{:04}-{:02}", d.year, d.month)
}

/// A signed amount as text (`-120.5`): a change may be negative, which `Money` never is.
fn signed<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// What a person paid in a year under each of two policies (for who gains and who loses).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonChange {
    pub person_id: String,
    pub claims: u64,
    /// 个人负担 under the first policy and the second.
    pub before: Money,
    pub after: Money,
    /// `after − before`: negative when the person pays less.
    #[serde(serialize_with = "signed")]
    pub change: Decimal,
}

impl PersonChange {
    pub fn new(person_id: &str, claims: u64, before: Money, after: Money) -> PersonChange {
        PersonChange {
            person_id: person_id.to_string(),
            claims,
            before,
            after,
            change: after.0 - before.0,
        }
    }
}

/// The `n` largest gains (burden fell most) and losses (rose most), kept as persons stream by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Extremes {
    pub gains: Vec<PersonChange>,
    pub losses: Vec<PersonChange>,
    #[serde(skip)]
    pub n: usize,
    /// How many persons pay less, the same, more.
    pub fewer: u64,
    pub same: u64,
    pub more: u64,
}

impl Extremes {
    pub fn new(n: usize) -> Self {
        Extremes {
            n,
            ..Extremes::default()
        }
    }
    pub fn add(&mut self, p: PersonChange) {
        match p.change.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Less => {
                self.fewer += 1;
                keep(&mut self.gains, p, self.n, |x| x.change);
            }
            std::cmp::Ordering::Equal => self.same += 1,
            std::cmp::Ordering::Greater => {
                self.more += 1;
                keep(&mut self.losses, p, self.n, |x| -x.change);
            }
        }
    }
    pub fn merge(&mut self, o: Extremes) {
        self.fewer += o.fewer;
        self.same += o.same;
        self.more += o.more;
        for p in o.gains {
            keep(&mut self.gains, p, self.n, |x| x.change);
        }
        for p in o.losses {
            keep(&mut self.losses, p, self.n, |x| -x.change);
        }
    }
}

/// Keep the `n` smallest by `key` (ties by person id, so merges in any order agree).
fn keep(v: &mut Vec<PersonChange>, p: PersonChange, n: usize, key: fn(&PersonChange) -> Decimal) {
    v.push(p);
    v.sort_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then_with(|| a.person_id.cmp(&b.person_id))
    });
    v.truncate(n);
}
