//! Every sentence a step of the trace can say, in Chinese and in English.
//!
//! The engine records *what happened* — a [`Msg`] with its numbers — and the words are made only
//! when a step is shown or serialized. Estimating stays cheap (most of an estimate's time used to
//! be sentence formatting), each front end renders the language it displays, and a new language
//! is one more function here rather than an edit of the arithmetic.

use crate::estimate::schedule::Band;
use crate::money::{Money, Rate};
use rust_decimal::Decimal;
use std::fmt::Write;

/// A name shown in both languages (level, category, route, layer …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    pub zh: String,
    pub en: String,
}

impl Names {
    pub fn of(zh: &str, en: &str) -> Names {
        Names {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Low / typical / high cost mix used for a bill known only by its total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MixName {
    Low,
    Typical,
    High,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// Already worded elsewhere (referral findings).
    Text {
        zh: String,
        en: String,
    },
    SplitItems {
        n: usize,
        total: Money,
        fulamt: Money,
        overlmt: Money,
        pre: Money,
        inscope: Money,
    },
    SplitKnown {
        total: Money,
        in_scope: Money,
        outside: Money,
    },
    SplitMix {
        total: Money,
        mix: MixName,
        out_rate: Rate,
        out: Money,
        pre_rate: Rate,
        pre: Money,
        inscope: Money,
    },
    SplitAllInScope {
        total: Money,
    },
    NotReimbursed,
    PenaltyPreselfpay {
        share: Rate,
        moved: Money,
    },
    KnownFund {
        paid: Money,
        burden: Money,
    },
    Fund {
        inscope: Money,
        dedc: Money,
        bands: Vec<Band>,
        total: Money,
    },
    DeductiblePercent {
        level: Names,
        rate: Rate,
        floor: Money,
        ceiling: Money,
        v: Money,
    },
    Deductible {
        level: Names,
        v: Money,
    },
    DeductiblePenalty {
        v: Money,
    },
    DeductibleNth {
        n: u32,
        factor: Rate,
        v: Money,
    },
    DeductibleCategory {
        category: Names,
        factor: Rate,
        v: Money,
    },
    DeductibleUpward {
        from: Names,
        paid: Money,
        v: Money,
    },
    DeductibleDownward {
        from: Names,
    },
    Ratio {
        level: Names,
        rate: Rate,
    },
    RatioTiered {
        level: Names,
    },
    RatioPenaltySet {
        rate: Rate,
    },
    RatioAdjust {
        name: Names,
        points: Decimal,
    },
    RatioPenaltyPoints {
        points: Decimal,
    },
    RatioFloor {
        floor: Rate,
    },
    CapPerAdmission {
        cap: Money,
    },
    CapAnnual {
        cap: Money,
        before: Money,
        left: Money,
    },
    CapAccident {
        cap: Money,
        before: Money,
        left: Money,
    },
    FixedRoute {
        route: Names,
        quota: Option<Money>,
        fund: Money,
        units: u32,
    },
    HospitalExcess {
        amount: Money,
    },
    Layer {
        name: Names,
        burden: Money,
        before: Money,
        threshold: Money,
        bands: Vec<Band>,
        cap: Option<(Money, Money)>,
        pay: Money,
    },
    /// `hospital` is the quota excess the hospital bears, left out of the base (zero when none).
    MaxShare {
        rate: Rate,
        limit: Money,
        trimmed: Money,
        hospital: Money,
    },
    Floor {
        min: Rate,
        top_up: Money,
        hospital: Money,
    },
    FullRelief {
        category: Names,
        rest: Money,
    },
    Outpatient {
        route: Names,
        inscope: Money,
        dedc: Money,
        rate: Rate,
        raw: Money,
        per_visit: Option<Money>,
        annual: Option<(Money, Money, Money)>,
    },
}

/// The ratio's base leaves out a quota excess the hospital bears; said only when there is one.
fn hospital_excluded_zh(hospital: Money) -> String {
    if hospital.is_zero() {
        String::new()
    } else {
        format!("(不含医院承担的 {hospital} 元)")
    }
}

fn hospital_excluded_en(hospital: Money) -> String {
    if hospital.is_zero() {
        String::new()
    } else {
        format!(" (less the {hospital} the hospital bears)")
    }
}

fn bands_zh(bands: &[Band]) -> String {
    let mut s = String::new();
    for (i, b) in bands.iter().enumerate() {
        let sep = if i > 0 { ";" } else { "" };
        let _ = write!(s, "{sep}{}–{} 元 × {} = {}", b.from, b.to, b.rate, b.pay);
    }
    s
}

fn bands_en(bands: &[Band]) -> String {
    let mut s = String::new();
    for (i, b) in bands.iter().enumerate() {
        let sep = if i > 0 { "; " } else { "" };
        let _ = write!(s, "{sep}{}–{} × {} = {}", b.from, b.to, b.rate, b.pay);
    }
    s
}

impl Msg {
    pub fn zh(&self) -> String {
        use Msg::*;
        match self {
            Text { zh, .. } => zh.clone(),
            SplitItems { n, total, fulamt, overlmt, pre, inscope } => format!(
                "{n} 项费用合计 {total} 元:全自费(丙类){fulamt} 元,超限价 {overlmt} 元,乙类/特殊项目先行自付 {pre} 元,政策范围内 {inscope} 元"
            ),
            SplitKnown { total, in_scope, outside } => {
                format!("费用总额 {total} 元,其中政策范围内 {in_scope} 元,范围外 {outside} 元由个人负担")
            }
            SplitMix { total, mix, out_rate, out, pre_rate, pre, inscope } => {
                let point = match mix {
                    MixName::Low => "较低",
                    MixName::Typical => "典型",
                    MixName::High => "较高",
                };
                format!("只知总额 {total} 元,按本级别{point}费用结构估算:范围外 {out_rate} ({out} 元),先行自付 {pre_rate} ({pre} 元),政策范围内 {inscope} 元")
            }
            SplitAllInScope { total } => {
                format!("只知总额 {total} 元,本政策未给出费用结构,按全部为政策范围内估算(可能偏低)")
            }
            NotReimbursed => "医保基金不予支付,费用全部由个人负担".into(),
            PenaltyPreselfpay { share, moved } => {
                format!("未按规定转诊,政策范围内费用先行自付 {share}:{moved} 元")
            }
            KnownFund { paid, burden } => {
                format!("基本医保已支付 {paid} 元(按结算单录入),政策范围内个人负担 {burden} 元")
            }
            Fund { inscope, dedc, bands, total } => format!(
                "基本医保统筹支付:(政策范围内 {inscope} − 起付线 {dedc})按比例:{};合计 {total} 元",
                bands_zh(bands)
            ),
            DeductiblePercent { level, rate, floor, ceiling, v } => {
                format!("{}起付线按费用总额的 {rate}(最低 {floor} 元,最高 {ceiling} 元):{v} 元", level.zh)
            }
            Deductible { level, v } => format!("{}住院起付线 {v} 元", level.zh),
            DeductiblePenalty { v } => format!("未按规定转诊/备案,起付线按 {v} 元计"),
            DeductibleNth { n, factor, v } => format!("本年第 {n} 次住院,起付线按 {factor} 计:{v} 元"),
            DeductibleCategory { category, factor, v } => format!("{}起付线按 {factor} 计:{v} 元", category.zh),
            DeductibleUpward { from, paid, v } => {
                format!("由{}上转,只补起付线差额(已付 {paid} 元):{v} 元", from.zh)
            }
            DeductibleDownward { from } => format!("由{}下转,同一疗程不再计起付线", from.zh),
            Ratio { level, rate } => format!("{}统筹支付比例 {rate}", level.zh),
            RatioTiered { level } => format!("{}统筹支付比例按费用分段计", level.zh),
            RatioPenaltySet { rate } => format!("未按规定转诊/备案,报销比例按 {rate} 计"),
            RatioAdjust { name, points } => format!("{}:报销比例 {:+} 个百分点", name.zh, points.normalize()),
            RatioPenaltyPoints { points } => format!("未按规定就医:报销比例 {:+} 个百分点", points.normalize()),
            RatioFloor { floor } => format!("报销比例不低于 {floor}"),
            CapPerAdmission { cap } => format!("单次住院基金支付不超过 {cap} 元"),
            CapAnnual { cap, before, left } => {
                format!("年度封顶线 {cap} 元,本年已支付 {before} 元,本次最多支付 {left} 元")
            }
            CapAccident { cap, before, left } => {
                format!("意外伤害年度限额 {cap} 元,本年已支付 {before} 元,本次最多 {left} 元")
            }
            FixedRoute { route, quota, fund, units } => {
                let q = quota.map(|q| format!("定额 {q} 元,")).unwrap_or_default();
                let u = if *units > 1 { format!("(共 {units} 个单位)") } else { String::new() };
                format!("按{}结算,不计起付线:{q}基金支付 {fund} 元{u}", route.zh)
            }
            HospitalExcess { amount } => format!("超出定额的 {amount} 元由医院承担,患者不负担"),
            Layer { name, burden, before, threshold, bands, cap, pay } => {
                let ytd = if before.is_zero() { String::new() } else { format!("(本年此前已累计 {before} 元)") };
                let b = if bands.is_empty() { "未达起付标准".to_string() } else { bands_zh(bands) };
                let c = cap.map(|(c, l)| format!(";年度限额 {c} 元,本次最多 {l} 元")).unwrap_or_default();
                format!("{}:尚需个人负担的政策范围内费用 {burden} 元{ytd},起付标准 {threshold} 元;{b}{c};支付 {pay} 元", name.zh)
            }
            MaxShare { rate, limit, trimmed, hospital } => format!(
                "各项支付合计不超过医疗费用{}的 {rate}({limit} 元),核减 {trimmed} 元",
                hospital_excluded_zh(*hospital)
            ),
            Floor { min, top_up, hospital } => format!(
                "兜底保障:实际报销比例{}不低于 {min},补足 {top_up} 元",
                hospital_excluded_zh(*hospital)
            ),
            FullRelief { category, rest } => {
                format!("{}个人不负担费用,剩余 {rest} 元由救助全额支付", category.zh)
            }
            Outpatient { route, inscope, dedc, rate, raw, per_visit, annual } => {
                let mut s = format!("{}:(政策范围内 {inscope} − 起付 {dedc})× {rate} = {raw} 元", route.zh);
                if let Some(cap) = per_visit {
                    let _ = write!(s, ";每次限额 {cap} 元");
                }
                if let Some((cap, used, left)) = annual {
                    let _ = write!(s, ";年度限额 {cap} 元,本年已报 {used} 元,本次最多 {left} 元");
                }
                s
            }
        }
    }

    pub fn en(&self) -> String {
        use Msg::*;
        match self {
            Text { en, .. } => en.clone(),
            SplitItems { n, total, fulamt, overlmt, pre, inscope } => format!(
                "{n} items totalling {total}: outside catalogue {fulamt}, above price cap {overlmt}, paid first (class B/special) {pre}, in scope {inscope}"
            ),
            SplitKnown { total, in_scope, outside } => {
                format!("bill {total}, of which {in_scope} in scope; {outside} outside scope is paid by the patient")
            }
            SplitMix { total, mix, out_rate, out, pre_rate, pre, inscope } => {
                let point = match mix {
                    MixName::Low => "low",
                    MixName::Typical => "typical",
                    MixName::High => "high",
                };
                format!("only the total {total} is known; {point} mix for this level: outside scope {out_rate} ({out}), paid first {pre_rate} ({pre}), in scope {inscope}")
            }
            SplitAllInScope { total } => format!(
                "only the total {total} is known and the policy gives no cost mix; all of it is treated as in scope (may understate)"
            ),
            NotReimbursed => "the fund pays nothing; the patient pays all".into(),
            PenaltyPreselfpay { share, moved } => {
                format!("referral rule broken: {share} of the in-scope cost paid first: {moved}")
            }
            KnownFund { paid, burden } => format!(
                "basic fund already paid {paid} (from the settlement slip); in-scope personal burden {burden}"
            ),
            Fund { inscope, dedc, bands, total } => format!(
                "basic fund: (in scope {inscope} − deductible {dedc}) at the ratio: {}; total {total}",
                bands_en(bands)
            ),
            DeductiblePercent { level, rate, floor, ceiling, v } => {
                format!("{} deductible is {rate} of the bill (floor {floor}, ceiling {ceiling}): {v}", level.en)
            }
            Deductible { level, v } => format!("inpatient deductible at a {}: {v}", level.en),
            DeductiblePenalty { v } => format!("referral rule broken: deductible set to {v}"),
            DeductibleNth { n, factor, v } => format!("admission no. {n} this year: deductible at {factor}: {v}"),
            DeductibleCategory { category, factor, v } => format!("{}: deductible at {factor}: {v}", category.en),
            DeductibleUpward { from, paid, v } => format!(
                "referred up from a {}: only the difference to the deductible already paid ({paid}): {v}",
                from.en
            ),
            DeductibleDownward { from } => {
                format!("transferred down from a {}: no new deductible in the same episode", from.en)
            }
            Ratio { level, rate } => format!("fund ratio at a {}: {rate}", level.en),
            RatioTiered { level } => format!("fund ratio at a {} is tiered by amount", level.en),
            RatioPenaltySet { rate } => format!("referral rule broken: ratio set to {rate}"),
            RatioAdjust { name, points } => format!("{}: ratio {:+} points", name.en, points.normalize()),
            RatioPenaltyPoints { points } => format!("referral rule broken: ratio {:+} points", points.normalize()),
            RatioFloor { floor } => format!("the ratio does not fall below {floor}"),
            CapPerAdmission { cap } => format!("per-admission fund cap {cap}"),
            CapAnnual { cap, before, left } => {
                format!("annual cap {cap}; {before} already paid this year; at most {left} now")
            }
            CapAccident { cap, before, left } => {
                format!("accident injury annual cap {cap}; {before} already paid; at most {left} now")
            }
            FixedRoute { route, quota, fund, .. } => {
                let q = quota.map(|q| format!("quota {q}; ")).unwrap_or_default();
                format!("settled as {}, no deductible: {q}fund pays {fund}", route.en)
            }
            HospitalExcess { amount } => format!("{amount} above the quota is borne by the hospital, not the patient"),
            Layer { name, burden, before, threshold, bands, cap, pay } => {
                let ytd = if before.is_zero() { String::new() } else { format!(" ({before} already counted this year)") };
                let b = if bands.is_empty() { "below the threshold".to_string() } else { bands_en(bands) };
                let c = cap.map(|(c, l)| format!("; annual cap {c}, at most {l} now")).unwrap_or_default();
                format!("{}: in-scope amount still owed {burden}{ytd}, threshold {threshold}; {b}{c}; pays {pay}", name.en)
            }
            MaxShare { rate, limit, trimmed, hospital } => format!(
                "all payers together at most {rate} of the bill{} ({limit}); {trimmed} trimmed",
                hospital_excluded_en(*hospital)
            ),
            Floor { min, top_up, hospital } => format!(
                "guarantee: the actual ratio{} is at least {min}; {top_up} added",
                hospital_excluded_en(*hospital)
            ),
            FullRelief { category, rest } => format!(
                "{}: the patient pays nothing; the remaining {rest} is paid in full by assistance",
                category.en
            ),
            Outpatient { route, inscope, dedc, rate, raw, per_visit, annual } => {
                let mut s = format!("{}: (in scope {inscope} − deductible {dedc}) × {rate} = {raw}", route.en);
                if let Some(cap) = per_visit {
                    let _ = write!(s, "; per-visit limit {cap}");
                }
                if let Some((cap, used, left)) = annual {
                    let _ = write!(s, "; annual limit {cap}, {used} used, at most {left} now");
                }
                s
            }
        }
    }
}
