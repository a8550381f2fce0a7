//! Replaying claims (提标测算): every claim of a year through a policy, person by person in date
//! order, so caps, later admissions and layer thresholds chain as they do in real settlement.
//! Pure, like the rest of core: the batch crate (`batch/`) adds files, threads and progress.

pub mod compiled;

use crate::case::Setting;
use crate::case::Ytd;
use crate::claims::{column_of, Claim, Key, Keys};
use crate::date::Date;
use crate::error::Problems;
use crate::estimate::{ratio, settle, ByKey, Key as F, Settled, Settlement};
use crate::money::Money;
use crate::policy::PolicyDoc;
use compiled::{Binding, Compiled, Slip};
use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};

/// The claims of each person, as indices into `claims`: persons in the order they first appear,
/// each person's claims by date (claims on the same day in file order). This is the one
/// partition every front end uses — the CLI's threads, the Python package and a Spark job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Persons {
    /// Claim indices, person after person.
    claims: Vec<u32>,
    /// Where each person's claims start in `claims` (and, last, where they all end).
    starts: Vec<u32>,
}

impl Default for Persons {
    /// No claims, no persons.
    fn default() -> Self {
        Persons {
            claims: vec![],
            starts: vec![0],
        }
    }
}

impl Persons {
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Person `i`'s claims, by date.
    pub fn get(&self, i: usize) -> &[u32] {
        &self.claims[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Partition `claims` by person ([`Persons`]).
pub fn by_person(claims: &[Claim]) -> Persons {
    by_person_keyed(&Keys::of(claims))
}

/// The claims' indices person after person, and where each person starts (a counting sort on
/// the person codes).
fn counting_sort(keys: &Keys) -> (Vec<u32>, Vec<u32>) {
    let k = &keys.keys;
    let mut starts = vec![0u32; keys.persons() + 1];
    for key in k {
        starts[key.person as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut fill: Vec<u32> = starts[..keys.persons()].to_vec();
    let mut order = vec![0u32; k.len()];
    for (i, key) in k.iter().enumerate() {
        let at = &mut fill[key.person as usize];
        order[*at as usize] = i as u32;
        *at += 1;
    }
    (order, starts)
}

/// [`by_person`] on the claims' keys, as a file reader builds them, so a county-year is
/// partitioned in a few milliseconds.
pub fn by_person_keyed(keys: &Keys) -> Persons {
    let k = &keys.keys;
    // Codes are given in order of first appearance, so a file already grouped by person (as
    // exports sorted by person are) has them in order: its partition is the file itself, found
    // in one pass that also checks each person's dates are in order.
    let mut starts = Vec::with_capacity(keys.persons() + 1);
    starts.push(0u32);
    let (mut grouped, mut dated) = (true, true);
    for (i, w) in k.windows(2).enumerate() {
        if w[0].person != w[1].person {
            grouped &= w[0].person < w[1].person;
            starts.push(i as u32 + 1);
        } else {
            dated &= w[0].date <= w[1].date;
        }
    }
    if !k.is_empty() {
        starts.push(k.len() as u32);
    }
    let (order, starts) = if grouped {
        ((0..k.len() as u32).collect(), starts)
    } else {
        counting_sort(keys)
    };
    let mut persons = Persons {
        claims: order,
        starts,
    };
    if !(grouped && dated) {
        for i in 0..persons.len() {
            let (a, b) = (persons.starts[i] as usize, persons.starts[i + 1] as usize);
            let mine = &mut persons.claims[a..b];
            // A stable sort keeps same-day claims in file order.
            if !mine.is_sorted_by_key(|&j| k[j as usize].date) {
                mine.sort_by_key(|&j| k[j as usize].date);
            }
        }
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

/// What a group of claims cost, by payer, to the fen (sums of the slips' rounded amounts): the
/// settlement fields a replay sums ([`F::SUMMED`]: 医疗费总额, 政策范围内, each fund, 个人负担
/// before commercial supplements, 医院负担, 惠民保). As JSON: `claims`, then each summed field
/// under its key, in slip order, then `ratio_sum`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub claims: u64,
    /// By settlement field; only [`F::SUMMED`] are added to (the others stay 0).
    pub amounts: ByKey<Money>,
    /// The sum of each claim's 实际报销比例 (fund ÷ bill), for their mean.
    pub ratio_sum: Decimal,
}

impl Serialize for Totals {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(F::SUMMED.len() + 2))?;
        m.serialize_entry("claims", &self.claims)?;
        for k in F::SUMMED {
            m.serialize_entry(k.as_str(), &self.amounts[k])?;
        }
        m.serialize_entry("ratio_sum", &self.ratio_sum.normalize().to_string())?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Totals {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Totals;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a replay's totals (claims, the summed settlement keys, ratio_sum)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Totals, A::Error> {
                let mut t = Totals::default();
                let mut seen = [false; 2];
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "claims" => (t.claims, seen[0]) = (map.next_value()?, true),
                        "ratio_sum" => {
                            let text: String = map.next_value()?;
                            t.ratio_sum = text.parse().map_err(de::Error::custom)?;
                            seen[1] = true;
                        }
                        key => match F::of(key).filter(|f| f.field().summed) {
                            Some(f) => t.amounts[f] = map.next_value()?,
                            None => return Err(de::Error::unknown_field(key, &[])),
                        },
                    }
                }
                match seen {
                    [false, _] => Err(de::Error::missing_field("claims")),
                    [_, false] => Err(de::Error::missing_field("ratio_sum")),
                    _ => Ok(t),
                }
            }
        }
        d.deserialize_map(V)
    }
}

impl Totals {
    fn add(&mut self, s: &Settlement) {
        self.claims += 1;
        for k in F::SUMMED {
            self.amounts[k] += s.amount(k);
        }
        self.ratio_sum += ratio(s);
    }
    fn merge(&mut self, o: &Totals) {
        self.claims += o.claims;
        for k in F::SUMMED {
            self.amounts[k] += o.amounts[k];
        }
        self.ratio_sum += o.ratio_sum;
    }
    /// The sum of one field.
    pub fn get(&self, k: F) -> Money {
        self.amounts[k]
    }
    /// The funds' share of all the bills (实际报销比例 of the group), to a hundredth of a percent.
    pub fn actual_ratio(&self) -> Decimal {
        let (fund, bill) = (
            self.amounts[F::FundPaySumamt],
            self.amounts[F::MedfeeSumamt],
        );
        if bill.is_zero() {
            Decimal::ZERO
        } else {
            (fund.0 / bill.0).round_dp(4)
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

/// How many claims had an actual ratio in each tenth: `[0] = 0–10 %` … `[9] = 90–100 %`.
pub const RATIO_BANDS: usize = 10;

/// A replay's totals and breakdowns; summaries of parts merge into the summary of the whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
/// Written without trailing zeros, as amounts are, so that a sum reads the same whichever
/// path (decimal or integer) made it.
fn signed<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.normalize())
}

/// A signed amount written by [`signed`], read back.
fn read_signed<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(de::Error::custom)
}

/// What a person paid in a year under each of two policies (for who gains and who loses).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonChange {
    pub person_id: String,
    pub claims: u64,
    /// 个人负担 under the first policy and the second.
    pub before: Money,
    pub after: Money,
    /// `after − before`: negative when the person pays less.
    #[serde(serialize_with = "signed", deserialize_with = "read_signed")]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// A summary in integers for the claims the compiled path settled ([`Compiled`]): one bucket
/// per (setting, level, category, month), added to per claim without a map or a decimal, and turned into
/// a [`Summary`] once at the end ([`Tally::summary`]). The property test in tests/replay.rs
/// holds it equal to the summary the general path builds.
#[derive(Clone, Debug)]
pub struct Tally {
    levels: usize,
    categories: usize,
    months: usize,
    /// `[((setting × levels + level) × categories + category) × months + month]` (setting 0
    /// a stay, 1 a visit), see [`Bucket`].
    buckets: Vec<Bucket>,
    persons: u64,
    ratio_bands: [u64; RATIO_BANDS],
    /// Persons per cap bit (see [`Slip::limits`]).
    cap_hits: [u64; 32],
}

/// Claims, fen per settlement field (those a replay sums, as in [`Totals`]), and the sum of
/// ratios in 10⁻⁴.
#[derive(Clone, Copy, Debug, Default)]
struct Bucket {
    claims: i64,
    fen: ByKey<i64>,
    ratio: i64,
}

impl Tally {
    pub fn new(c: &Compiled) -> Tally {
        let months = month_index(c.from(), c.to()) + 1;
        Tally {
            levels: c.levels().len(),
            categories: c.categories().len(),
            months,
            buckets: vec![Bucket::default(); 2 * c.levels().len() * c.categories().len() * months],
            persons: 0,
            ratio_bands: [0; RATIO_BANDS],
            cap_hits: [0; 32],
        }
    }

    /// Add one person's claims (`idx` in `keys`) and their slips (as
    /// [`Compiled::settle_person`] leaves them).
    pub fn add_person(
        &mut self,
        c: &Compiled,
        b: &Binding,
        keys: &[Key],
        idx: &[u32],
        slips: &[Slip],
    ) {
        self.persons += 1;
        let from = c.from();
        let mut caps = 0u32;
        for (&i, s) in idx.iter().zip(slips) {
            let k = &keys[i as usize];
            // The compiled path settled it, so its level and category are the policy's.
            let level = b.level(k.level).unwrap_or(0);
            let category = b.category(k.category).unwrap_or(0);
            let month = month_index(from, k.date);
            let setting = usize::from(k.has(Key::OUTPATIENT));
            let at = ((setting * self.levels + level) * self.categories + category) * self.months
                + month;
            let ratio = ratio_fen(s.fen[F::FundPaySumamt], s.fen[F::MedfeeSumamt]);
            let b = &mut self.buckets[at];
            b.claims += 1;
            for k in F::SUMMED {
                b.fen[k] += s.fen[k];
            }
            b.ratio += ratio;
            self.ratio_bands[(ratio / 1000).clamp(0, RATIO_BANDS as i64 - 1) as usize] += 1;
            caps |= s.limits;
        }
        while caps != 0 {
            self.cap_hits[caps.trailing_zeros() as usize] += 1;
            caps &= caps - 1;
        }
    }

    pub fn merge(&mut self, o: &Tally) {
        for (a, b) in self.buckets.iter_mut().zip(&o.buckets) {
            a.claims += b.claims;
            for k in F::SUMMED {
                a.fen[k] += b.fen[k];
            }
            a.ratio += b.ratio;
        }
        self.persons += o.persons;
        for (a, b) in self.ratio_bands.iter_mut().zip(o.ratio_bands) {
            *a += b;
        }
        for (a, b) in self.cap_hits.iter_mut().zip(o.cap_hits) {
            *a += b;
        }
    }

    /// The same summary the general path would have built for these claims.
    pub fn summary(&self, c: &Compiled) -> Summary {
        let mut s = Summary {
            persons: self.persons,
            ratio_bands: self.ratio_bands,
            ..Summary::default()
        };
        let from = c.from();
        for (at, b) in self
            .buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.claims > 0)
        {
            let month = at % self.months;
            let category = at / self.months % self.categories;
            let level = at / self.months / self.categories % self.levels;
            let setting = match at / self.months / self.categories / self.levels {
                0 => Setting::Inpatient,
                _ => Setting::Outpatient,
            };
            let mut t = Totals {
                claims: b.claims as u64,
                ratio_sum: Decimal::new(b.ratio, 4),
                ..Totals::default()
            };
            // The compiled path leaves policies paying into cvlserv_pay, hifes_pay and
            // hifdm_pay to the general path, and no hospital bears a part on it: those stay 0.
            for k in F::SUMMED {
                t.amounts[k] = Money(Decimal::new(b.fen[k], 2));
            }
            let months = from.year as usize * 12 + from.month as usize - 1 + month;
            let key = self::month(Date {
                year: (months / 12) as u16,
                month: (months % 12 + 1) as u8,
                day: 1,
            });
            s.all.merge(&t);
            for (map, k) in [
                (&mut s.by_setting, setting.as_str()),
                (&mut s.by_level, c.levels()[level].as_str()),
                (&mut s.by_category, c.categories()[category].as_str()),
                (&mut s.by_month, key.as_str()),
            ] {
                map.entry(k.to_string()).or_default().merge(&t);
            }
        }
        for (bit, n) in self.cap_hits.iter().enumerate().filter(|(_, n)| **n > 0) {
            for name in c.limits(1 << bit) {
                *s.cap_hits.entry(name).or_default() += n;
            }
        }
        s
    }
}

/// How many months `d` is after `from`'s month (`d` in the policy, so never before it).
fn month_index(from: Date, d: Date) -> usize {
    (d.year as usize * 12 + d.month as usize) - (from.year as usize * 12 + from.month as usize)
}

/// [`ratio`] in integers: fund ÷ bill in 10⁻⁴, the half to the even ten-thousandth as
/// `round_dp` rounds it.
fn ratio_fen(fund: i64, bill: i64) -> i64 {
    if bill == 0 {
        return 0;
    }
    let (q, r) = (fund * 10_000 / bill, fund * 10_000 % bill);
    match (2 * r).cmp(&bill) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
        std::cmp::Ordering::Less => q,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Totals as JSON: `claims`, each summed field in slip order, `ratio_sum`; and back.
    #[test]
    fn totals_cross_json_in_slip_order_and_back() {
        let mut t = Totals {
            claims: 3,
            ratio_sum: Decimal::new(17_250, 4),
            ..Totals::default()
        };
        for (i, k) in F::SUMMED.into_iter().enumerate() {
            t.amounts[k] = Money(Decimal::new(100 * i as i64 + 5, 1));
        }
        let text = serde_json::to_string(&t).unwrap();
        let keys: Vec<&str> = text
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect();
        let mut want = vec!["claims"];
        want.extend(F::SUMMED.map(F::as_str));
        want.push("ratio_sum");
        assert_eq!(keys, want);
        assert!(text.contains(r#""ratio_sum":"1.725""#), "{text}");
        let back: Totals = serde_json::from_str(&text).unwrap();
        assert_eq!(back, t);
        // A key that is not a summed field is refused, not dropped.
        let odd = text.replacen("\"claims\"", "\"acct_pay\":\"1\",\"claims\"", 1);
        assert!(serde_json::from_str::<Totals>(&odd).is_err());
    }
}
