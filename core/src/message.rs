//! Every sentence a step of the trace can say, in Chinese and in English.
//!
//! The engine records *what happened* — a [`Msg`] with its numbers — and the words are made only
//! when a step is shown or serialized. Estimating stays cheap (most of an estimate's time used to
//! be sentence formatting), each front end renders the language it displays, and a new language
//! is one more function here rather than an edit of the arithmetic.

use crate::estimate::schedule::Band;
use crate::money::{push_plain, Money, Rate};
use crate::policy::Status;
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

/// How a later admission's 起付线 was changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NthHow {
    Factor(Rate),
    Amount,
    StepDown { step: Money, min: Money },
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
        how: NthHow,
        v: Money,
    },
    DeductibleOnceAYear {
        paid: Money,
        cap: Option<Money>,
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
    RatioCopay {
        factor: Rate,
    },
    RatioPenaltyFactor {
        factor: Rate,
    },
    CapRaise {
        continuous: u32,
        extra_years: u32,
        claim_free: u32,
        raw: Money,
        limit: Option<Money>,
        cap: Money,
    },
    KnownLayer {
        name: Names,
        pay: Money,
        burden: Money,
    },
    /// A known payment for which the policy has no (eligible) layer: paid as the slip states it.
    KnownEntered {
        /// The settlement field it is reported under (`maf_pay` …).
        key: &'static str,
        pay: Money,
        /// The in-scope amount the patient still owed before it, and after it.
        burden: Money,
        left: Money,
    },
    Account {
        share: Money,
        payable: Money,
        balance: Money,
        pay: Money,
    },
    FamilyAccount {
        left: Money,
        balance: Money,
        pay: Money,
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
    /// An annual limit several outpatient routes share (`CombinedCap`).
    CapCombined {
        name: Names,
        cap: Money,
        before: Money,
        left: Money,
    },
    /// An outpatient route paid out of the basic fund's inpatient annual limit.
    CapSharedInpatient {
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

/// A sentence in both languages: templates with `{0}`…`{9}` for its values. The templates are
/// data, one pair per message, and one small function fills them: in the browser this is a
/// fraction of the code that two `format!` calls per message compiled to.
struct Sentence<'a> {
    zh: &'static str,
    en: &'static str,
    args: Vec<Arg<'a>>,
}

/// One value of a sentence, worded in the language asked for.
enum Arg<'a> {
    Yuan(Money),
    Pct(Rate),
    /// Percentage points with their sign: "+5", "-10".
    Points(Decimal),
    Count(u64),
    Name(&'a Names),
    Word(&'static str, &'static str),
    /// Words already made (a referral finding).
    Text(&'a str),
    /// Bands of a schedule, "from–to × rate = pay" each; `Word` when there are none.
    Bands(&'a [Band], &'static str, &'static str),
    /// An optional clause (a cap, an amount already paid …): nothing when `None`.
    Clause(Option<Sentence<'a>>),
}

/// Which language a sentence is worded in (and the widget shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The text of this language from a pair.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
    /// From a language tag (`lang="en-GB"`, `zh-CN` …): English for `en…`, else Chinese.
    pub fn parse(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
    /// The language tag for HTML's `lang`.
    pub fn code(self) -> &'static str {
        self.t("zh-CN", "en")
    }
}

impl Sentence<'_> {
    fn write(&self, lang: Lang, out: &mut String) {
        let mut rest = lang.t(self.zh, self.en);
        // A byte search: `str::find` with a `char` goes through the generic searcher.
        while let Some(i) = rest.bytes().position(|b| b == b'{') {
            // Templates are this file's constants, `{d}` with one digit; the test words all.
            debug_assert_eq!(rest.as_bytes().get(i + 2), Some(&b'}'), "template {rest}");
            out.push_str(&rest[..i]);
            let n = usize::from(rest.as_bytes()[i + 1] - b'0');
            self.args[n].write(lang, out);
            rest = &rest[i + 3..];
        }
        out.push_str(rest);
    }
}

impl Arg<'_> {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Arg::Yuan(m) => plain_into(out, m.0, ""),
            Arg::Pct(r) => plain_into(out, r.percent(), "%"),
            Arg::Count(n) => plain_into(out, Decimal::from(*n), ""),
            Arg::Points(p) => {
                let _ = write!(out, "{:+}", p.normalize());
            }
            Arg::Name(n) => out.push_str(lang.t(&n.zh, &n.en)),
            Arg::Word(zh, en) => out.push_str(lang.t(zh, en)),
            Arg::Text(t) => out.push_str(t),
            Arg::Bands([], zh, en) => out.push_str(lang.t(zh, en)),
            Arg::Bands(bands, ..) => {
                for (i, b) in bands.iter().enumerate() {
                    if i > 0 {
                        out.push_str(lang.t(";", "; "));
                    }
                    let band = Sentence {
                        zh: "{0}–{1} 元 × {2} = {3}",
                        en: "{0}–{1} × {2} = {3}",
                        args: vec![
                            Arg::Yuan(b.from),
                            Arg::Yuan(b.to),
                            Arg::Pct(b.rate),
                            Arg::Yuan(b.pay),
                        ],
                    };
                    band.write(lang, out);
                }
            }
            Arg::Clause(c) => {
                if let Some(c) = c {
                    c.write(lang, out);
                }
            }
        }
    }
}

/// A settlement field's Chinese label (`maf_pay` → 医疗救助), from the one list of fields.
fn slip_label(key: &str) -> &'static str {
    crate::estimate::FIELDS
        .iter()
        .find(|f| f.key == key)
        .map_or("", |f| f.zh)
}

/// A number in a sentence, as results write it.
fn plain_into(out: &mut String, d: Decimal, suffix: &str) {
    // Writing into a `String` cannot fail.
    let _ = push_plain(out, d, suffix);
}

/// The ratio's base leaves out a quota excess the hospital bears; said only when there is one.
fn hospital_excluded(hospital: Money) -> Arg<'static> {
    Arg::Clause((!hospital.is_zero()).then(|| Sentence {
        zh: "(不含医院承担的 {0} 元)",
        en: " (less the {0} the hospital bears)",
        args: vec![Arg::Yuan(hospital)],
    }))
}

impl Msg {
    pub fn zh(&self) -> String {
        self.word(Lang::Zh)
    }

    pub fn en(&self) -> String {
        self.word(Lang::En)
    }

    pub fn word(&self, lang: Lang) -> String {
        let sentence = self.sentence();
        // Room for the template and its numbers: one allocation for most sentences.
        let mut out = String::with_capacity(lang.t(sentence.zh, sentence.en).len() + 64);
        sentence.write(lang, &mut out);
        out
    }

    fn sentence(&self) -> Sentence<'_> {
        use Arg::*;
        use Msg::*;
        let s = |zh, en, args| Sentence { zh, en, args };
        match self {
            Msg::Text { zh, en } => s("{0}", "{1}", vec![Text(zh), Text(en)]),
            SplitItems { n, total, fulamt, overlmt, pre, inscope } => s(
                "{0} 项费用合计 {1} 元:全自费(丙类){2} 元,超限价 {3} 元,乙类/特殊项目先行自付 {4} 元,政策范围内 {5} 元",
                "{0} items totalling {1}: outside catalogue {2}, above price cap {3}, paid first (class B/special) {4}, in scope {5}",
                vec![Count(*n as u64), Yuan(*total), Yuan(*fulamt), Yuan(*overlmt), Yuan(*pre), Yuan(*inscope)],
            ),
            SplitKnown { total, in_scope, outside } => s(
                "费用总额 {0} 元,其中政策范围内 {1} 元,范围外 {2} 元由个人负担",
                "bill {0}, of which {1} in scope; {2} outside scope is paid by the patient",
                vec![Yuan(*total), Yuan(*in_scope), Yuan(*outside)],
            ),
            SplitMix { total, mix, out_rate, out, pre_rate, pre, inscope } => s(
                "只知总额 {0} 元,按本级别{1}费用结构估算:范围外 {2} ({3} 元),先行自付 {4} ({5} 元),政策范围内 {6} 元",
                "only the total {0} is known; {1} mix for this level: outside scope {2} ({3}), paid first {4} ({5}), in scope {6}",
                vec![
                    Yuan(*total),
                    match mix {
                        MixName::Low => Word("较低", "low"),
                        MixName::Typical => Word("典型", "typical"),
                        MixName::High => Word("较高", "high"),
                    },
                    Pct(*out_rate),
                    Yuan(*out),
                    Pct(*pre_rate),
                    Yuan(*pre),
                    Yuan(*inscope),
                ],
            ),
            SplitAllInScope { total } => s(
                "只知总额 {0} 元,本政策未给出费用结构,按全部为政策范围内估算(可能偏低)",
                "only the total {0} is known and the policy gives no cost mix; all of it is treated as in scope (may understate)",
                vec![Yuan(*total)],
            ),
            NotReimbursed => s(
                "医保基金不予支付,费用全部由个人负担",
                "the fund pays nothing; the patient pays all",
                vec![],
            ),
            PenaltyPreselfpay { share, moved } => s(
                "未按规定转诊,政策范围内费用先行自付 {0}:{1} 元",
                "referral rule broken: {0} of the in-scope cost paid first: {1}",
                vec![Pct(*share), Yuan(*moved)],
            ),
            KnownFund { paid, burden } => s(
                "基本医保已支付 {0} 元(按结算单录入),政策范围内个人负担 {1} 元",
                "basic fund already paid {0} (from the settlement slip); in-scope personal burden {1}",
                vec![Yuan(*paid), Yuan(*burden)],
            ),
            Fund { inscope, dedc, bands, total } => s(
                "基本医保统筹支付:(政策范围内 {0} − 起付线 {1})按比例:{2};合计 {3} 元",
                "basic fund: (in scope {0} − deductible {1}) at the ratio: {2}; total {3}",
                vec![Yuan(*inscope), Yuan(*dedc), Bands(bands, "", ""), Yuan(*total)],
            ),
            DeductiblePercent { level, rate, floor, ceiling, v } => s(
                "{0}起付线按费用总额的 {1}(最低 {2} 元,最高 {3} 元):{4} 元",
                "{0} deductible is {1} of the bill (floor {2}, ceiling {3}): {4}",
                vec![Name(level), Pct(*rate), Yuan(*floor), Yuan(*ceiling), Yuan(*v)],
            ),
            Deductible { level, v } => s(
                "{0}住院起付线 {1} 元",
                "inpatient deductible at a {0}: {1}",
                vec![Name(level), Yuan(*v)],
            ),
            DeductiblePenalty { v } => s(
                "未按规定转诊/备案,起付线按 {0} 元计",
                "referral rule broken: deductible set to {0}",
                vec![Yuan(*v)],
            ),
            DeductibleNth { n, how, v } => s(
                "本年第 {0} 次住院,起付线{1}:{2} 元",
                "admission no. {0} this year: deductible {1}: {2}",
                vec![
                    Count((*n).into()),
                    Clause(Some(match how {
                        NthHow::Factor(f) => s("按 {0} 计", "at {0}", vec![Pct(*f)]),
                        NthHow::Amount => s("按定额计", "set by the policy", vec![]),
                        NthHow::StepDown { step, min } => s(
                            "每次降低 {0} 元、最低 {1} 元",
                            "lowered by {0} each time, not below {1}",
                            vec![Yuan(*step), Yuan(*min)],
                        ),
                    })),
                    Yuan(*v),
                ],
            ),
            DeductibleOnceAYear { paid, cap, v } => s(
                "一年只计一次起付线(按所住最高级别{0}),本年已付 {1} 元,本次 {2} 元",
                "one deductible a year (at the highest level used{0}); {1} already paid this year; now {2}",
                vec![
                    Clause(cap.map(|c| s(",不超过 {0} 元", ", at most {0}", vec![Yuan(c)]))),
                    Yuan(*paid),
                    Yuan(*v),
                ],
            ),
            DeductibleCategory { category, factor, v } => s(
                "{0}起付线按 {1} 计:{2} 元",
                "{0}: deductible at {1}: {2}",
                vec![Name(category), Pct(*factor), Yuan(*v)],
            ),
            DeductibleUpward { from, paid, v } => s(
                "由{0}上转,只补起付线差额(已付 {1} 元):{2} 元",
                "referred up from a {0}: only the difference to the deductible already paid ({1}): {2}",
                vec![Name(from), Yuan(*paid), Yuan(*v)],
            ),
            DeductibleDownward { from } => s(
                "由{0}下转,同一疗程不再计起付线",
                "transferred down from a {0}: no new deductible in the same episode",
                vec![Name(from)],
            ),
            Ratio { level, rate } => s(
                "{0}统筹支付比例 {1}",
                "fund ratio at a {0}: {1}",
                vec![Name(level), Pct(*rate)],
            ),
            RatioTiered { level } => s(
                "{0}统筹支付比例按费用分段计",
                "fund ratio at a {0} is tiered by amount",
                vec![Name(level)],
            ),
            RatioPenaltySet { rate } => s(
                "未按规定转诊/备案,报销比例按 {0} 计",
                "referral rule broken: ratio set to {0}",
                vec![Pct(*rate)],
            ),
            RatioAdjust { name, points } => s(
                "{0}:报销比例 {1} 个百分点",
                "{0}: ratio {1} points",
                vec![Name(name), Points(*points)],
            ),
            RatioPenaltyPoints { points } => s(
                "未按规定就医:报销比例 {0} 个百分点",
                "referral rule broken: ratio {0} points",
                vec![Points(*points)],
            ),
            RatioFloor { floor } => s(
                "报销比例不低于 {0}",
                "the ratio does not fall below {0}",
                vec![Pct(*floor)],
            ),
            RatioCopay { factor } => s(
                "本类人员个人自付比例为一般标准的 {0}:报销比例 = 1 −(1 − 比例)× {0}",
                "this category's co-pay is {0} of the standard: ratio = 1 − (1 − ratio) × {0}",
                vec![Pct(*factor)],
            ),
            RatioPenaltyFactor { factor } => s(
                "异地/未按规定就医:报销比例按原比例的 {0} 计",
                "out-of-area / rule broken: ratio multiplied by {0}",
                vec![Pct(*factor)],
            ),
            CapRaise { continuous, extra_years, claim_free, raw, limit, cap } => s(
                "连续参保 {0} 年(其中 {1} 年计入激励)、零报销 {2} 年,年度限额提高 {3} 元{4},为 {5} 元",
                "{0} years of continuous enrolment ({1} counted for the incentive) and {2} claim-free years raise the annual cap by {3}{4}, to {5}",
                vec![
                    Count((*continuous).into()),
                    Count((*extra_years).into()),
                    Count((*claim_free).into()),
                    Yuan(*raw),
                    Clause(limit.filter(|l| l < raw).map(|l| {
                        s("(最多提高 {0} 元)", " (at most {0})", vec![Yuan(l)])
                    })),
                    Yuan(*cap),
                ],
            ),
            KnownLayer { name, pay, burden } => s(
                "{0}已支付 {1} 元(按结算单录入;可支付的费用为 {2} 元)",
                "{0} already paid {1} (from the settlement slip; {2} was payable)",
                vec![Name(name), Yuan(*pay), Yuan(*burden)],
            ),
            KnownEntered { key, pay, burden, left } => s(
                "{0}({1})按结算单录入 {2} 元(本政策没有计算此项的规定,照录);政策范围内个人负担 {3} 元 → {4} 元",
                "{1} as entered from the settlement slip: {2} (the policy has no rule that computes it; taken as entered); in-scope amount still owed {3} → {4}",
                vec![
                    Word(slip_label(key), ""),
                    Text(key),
                    Yuan(*pay),
                    Yuan(*burden),
                    Yuan(*left),
                ],
            ),
            Account { share, payable, balance, pay } => s(
                "个人负担 {0} 元,其中个人账户可支付 {1} 元;账户余额 {2} 元,账户支付 {3} 元",
                "the patient's share is {0}, of which {1} may be paid from the personal account; balance {2}; the account pays {3}",
                vec![Yuan(*share), Yuan(*payable), Yuan(*balance), Yuan(*pay)],
            ),
            FamilyAccount { left, balance, pay } => s(
                "家庭共济:余下可由账户支付的 {0} 元由家人账户(余额 {1} 元)支付 {2} 元",
                "family pooling: of the {0} the account could still pay, a family member's account (balance {1}) pays {2}",
                vec![Yuan(*left), Yuan(*balance), Yuan(*pay)],
            ),
            CapPerAdmission { cap } => s(
                "单次住院基金支付不超过 {0} 元",
                "per-admission fund cap {0}",
                vec![Yuan(*cap)],
            ),
            CapAnnual { cap, before, left } => s(
                "年度封顶线 {0} 元,本年已支付 {1} 元,本次最多支付 {2} 元",
                "annual cap {0}; {1} already paid this year; at most {2} now",
                vec![Yuan(*cap), Yuan(*before), Yuan(*left)],
            ),
            CapAccident { cap, before, left } => s(
                "意外伤害年度限额 {0} 元,本年已支付 {1} 元,本次最多 {2} 元",
                "accident injury annual cap {0}; {1} already paid; at most {2} now",
                vec![Yuan(*cap), Yuan(*before), Yuan(*left)],
            ),
            CapCombined { name, cap, before, left } => s(
                "{0} {1} 元,本年各项合计已支付 {2} 元,本次最多支付 {3} 元",
                "{0} {1}; {2} already paid by the routes together this year; at most {3} now",
                vec![Name(name), Yuan(*cap), Yuan(*before), Yuan(*left)],
            ),
            CapSharedInpatient { cap, before, left } => s(
                "与住院共用统筹基金年度最高支付限额 {0} 元,本年已支付 {1} 元,本次最多支付 {2} 元",
                "shares the basic fund's inpatient annual cap {0}; {1} already paid this year; at most {2} now",
                vec![Yuan(*cap), Yuan(*before), Yuan(*left)],
            ),
            FixedRoute { route, quota, fund, units } => s(
                "按{0}结算,不计起付线:{1}基金支付 {2} 元{3}",
                "settled as {0}, no deductible: {1}fund pays {2}{3}",
                vec![
                    Name(route),
                    Clause(quota.map(|q| s("定额 {0} 元,", "quota {0}; ", vec![Yuan(q)]))),
                    Yuan(*fund),
                    Clause((*units > 1).then(|| s("(共 {0} 个单位)", "", vec![Count((*units).into())]))),
                ],
            ),
            HospitalExcess { amount } => s(
                "超出定额的 {0} 元由医院承担,患者不负担",
                "{0} above the quota is borne by the hospital, not the patient",
                vec![Yuan(*amount)],
            ),
            Layer { name, burden, before, threshold, bands, cap, pay } => s(
                "{0}:尚需个人负担的政策范围内费用 {1} 元{2},起付标准 {3} 元;{4}{5};支付 {6} 元",
                "{0}: in-scope amount still owed {1}{2}, threshold {3}; {4}{5}; pays {6}",
                vec![
                    Name(name),
                    Yuan(*burden),
                    Clause((!before.is_zero()).then(|| {
                        s("(本年此前已累计 {0} 元)", " ({0} already counted this year)", vec![Yuan(*before)])
                    })),
                    Yuan(*threshold),
                    Bands(bands, "未达起付标准", "below the threshold"),
                    Clause(cap.map(|(c, l)| {
                        s(";年度限额 {0} 元,本次最多 {1} 元", "; annual cap {0}, at most {1} now", vec![Yuan(c), Yuan(l)])
                    })),
                    Yuan(*pay),
                ],
            ),
            MaxShare { rate, limit, trimmed, hospital } => s(
                "各项支付合计不超过医疗费用{0}的 {1}({2} 元),核减 {3} 元",
                "all payers together at most {1} of the bill{0} ({2}); {3} trimmed",
                vec![hospital_excluded(*hospital), Pct(*rate), Yuan(*limit), Yuan(*trimmed)],
            ),
            Floor { min, top_up, hospital } => s(
                "兜底保障:实际报销比例{0}不低于 {1},补足 {2} 元",
                "guarantee: the actual ratio{0} is at least {1}; {2} added",
                vec![hospital_excluded(*hospital), Pct(*min), Yuan(*top_up)],
            ),
            FullRelief { category, rest } => s(
                "{0}个人不负担费用,剩余 {1} 元由救助全额支付",
                "{0}: the patient pays nothing; the remaining {1} is paid in full by assistance",
                vec![Name(category), Yuan(*rest)],
            ),
            Outpatient { route, inscope, dedc, rate, raw, per_visit, annual } => s(
                "{0}:(政策范围内 {1} − 起付 {2})× {3} = {4} 元{5}{6}",
                "{0}: (in scope {1} − deductible {2}) × {3} = {4}{5}{6}",
                vec![
                    Name(route),
                    Yuan(*inscope),
                    Yuan(*dedc),
                    Pct(*rate),
                    Yuan(*raw),
                    Clause(per_visit.map(|c| s(";每次限额 {0} 元", "; per-visit limit {0}", vec![Yuan(c)]))),
                    Clause(annual.map(|(cap, used, left)| {
                        s(
                            ";年度限额 {0} 元,本年已报 {1} 元,本次最多 {2} 元",
                            "; annual limit {0}, {1} used, at most {2} now",
                            vec![Yuan(cap), Yuan(used), Yuan(left)],
                        )
                    })),
                ],
            ),
        }
    }
}

impl Status {
    /// How the policy's parameters were sourced, as the receipt and the page say it.
    pub fn describe(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Status::Official => ("正式政策", "official policy"),
            Status::Example => (
                "示例政策,非真实规定",
                "EXAMPLE policy, not a real county's rules",
            ),
            Status::Excerpt => (
                "算例摘录,仅含算例所述参数",
                "excerpt: only the parameters a worked example states",
            ),
            Status::Secondary => (
                "真实政策,参数转引自二手资料,尚未与正式文件核对",
                "real policy quoted by a secondary source, not yet checked against the official text",
            ),
        };
        lang.t(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message, with every optional clause present, fills all its placeholders in both
    /// languages: nothing of a template's `{n}` is left, and each language stays itself.
    #[test]
    fn every_template_fills() {
        let m = |s: &str| Money::parse(s).unwrap();
        let r = |s: &str| Rate::parse(s).unwrap();
        let n = || Names::of("县级医院", "county hospital");
        let band = Band {
            from: m("0"),
            to: m("1000"),
            rate: r("80%"),
            pay: m("800"),
        };
        let bands = || vec![band.clone(), band.clone()];
        use Msg::*;
        let all = [
            Text {
                zh: "转诊".into(),
                en: "referral".into(),
            },
            SplitItems {
                n: 3,
                total: m("9"),
                fulamt: m("1"),
                overlmt: m("2"),
                pre: m("3"),
                inscope: m("3"),
            },
            SplitKnown {
                total: m("9"),
                in_scope: m("8"),
                outside: m("1"),
            },
            SplitMix {
                total: m("9"),
                mix: MixName::High,
                out_rate: r("5%"),
                out: m("1"),
                pre_rate: r("5%"),
                pre: m("1"),
                inscope: m("7"),
            },
            SplitAllInScope { total: m("9") },
            NotReimbursed,
            PenaltyPreselfpay {
                share: r("10%"),
                moved: m("1"),
            },
            KnownFund {
                paid: m("1"),
                burden: m("2"),
            },
            Fund {
                inscope: m("9"),
                dedc: m("1"),
                bands: bands(),
                total: m("8"),
            },
            DeductiblePercent {
                level: n(),
                rate: r("1%"),
                floor: m("1"),
                ceiling: m("2"),
                v: m("1"),
            },
            Deductible {
                level: n(),
                v: m("1"),
            },
            DeductiblePenalty { v: m("1") },
            DeductibleNth {
                n: 2,
                how: NthHow::Factor(r("50%")),
                v: m("1"),
            },
            DeductibleNth {
                n: 3,
                how: NthHow::StepDown {
                    step: m("100"),
                    min: m("100"),
                },
                v: m("1"),
            },
            DeductibleOnceAYear {
                paid: m("1"),
                cap: Some(m("1500")),
                v: m("1"),
            },
            RatioCopay { factor: r("60%") },
            RatioPenaltyFactor { factor: r("90%") },
            CapRaise {
                continuous: 6,
                extra_years: 2,
                claim_free: 1,
                raw: m("9000"),
                limit: Some(m("6000")),
                cap: m("306000"),
            },
            KnownLayer {
                name: n(),
                pay: m("1"),
                burden: m("2"),
            },
            KnownEntered {
                key: "maf_pay",
                pay: m("1"),
                burden: m("3"),
                left: m("2"),
            },
            Account {
                share: m("3"),
                payable: m("2"),
                balance: m("1"),
                pay: m("1"),
            },
            FamilyAccount {
                left: m("1"),
                balance: m("1"),
                pay: m("1"),
            },
            DeductibleCategory {
                category: n(),
                factor: r("50%"),
                v: m("1"),
            },
            DeductibleUpward {
                from: n(),
                paid: m("1"),
                v: m("2"),
            },
            DeductibleDownward { from: n() },
            Ratio {
                level: n(),
                rate: r("80%"),
            },
            RatioTiered { level: n() },
            RatioPenaltySet { rate: r("50%") },
            RatioAdjust {
                name: n(),
                points: Decimal::from(-10),
            },
            RatioPenaltyPoints {
                points: Decimal::from(5),
            },
            RatioFloor { floor: r("70%") },
            CapPerAdmission { cap: m("1") },
            CapAnnual {
                cap: m("3"),
                before: m("1"),
                left: m("2"),
            },
            CapAccident {
                cap: m("3"),
                before: m("1"),
                left: m("2"),
            },
            CapCombined {
                name: n(),
                cap: m("3"),
                before: m("1"),
                left: m("2"),
            },
            CapSharedInpatient {
                cap: m("3"),
                before: m("1"),
                left: m("2"),
            },
            FixedRoute {
                route: n(),
                quota: Some(m("1")),
                fund: m("1"),
                units: 2,
            },
            HospitalExcess { amount: m("1") },
            Layer {
                name: n(),
                burden: m("1"),
                before: m("1"),
                threshold: m("1"),
                bands: bands(),
                cap: Some((m("1"), m("1"))),
                pay: m("1"),
            },
            MaxShare {
                rate: r("90%"),
                limit: m("1"),
                trimmed: m("1"),
                hospital: m("1"),
            },
            Floor {
                min: r("80%"),
                top_up: m("1"),
                hospital: m("1"),
            },
            FullRelief {
                category: n(),
                rest: m("1"),
            },
            Outpatient {
                route: n(),
                inscope: m("1"),
                dedc: m("1"),
                rate: r("50%"),
                raw: m("1"),
                per_visit: Some(m("1")),
                annual: Some((m("3"), m("1"), m("2"))),
            },
        ];
        let chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for msg in &all {
            let (zh, en) = (msg.zh(), msg.en());
            for s in [&zh, &en] {
                assert!(!s.contains(['{', '}']), "{s}");
            }
            assert!(chinese(&zh), "{zh}");
            assert!(!chinese(&en), "{en}");
        }
        let find = |f: fn(&Msg) -> bool| all.iter().find(|m| f(m)).unwrap();
        let layer = find(|m| matches!(m, Layer { .. })).en();
        assert_eq!(
            layer,
            "county hospital: in-scope amount still owed 1 (1 already counted this year), threshold 1; \
             0–1000 × 80% = 800; 0–1000 × 80% = 800; annual cap 1, at most 1 now; pays 1"
        );
        let adjust = find(|m| matches!(m, RatioAdjust { .. }));
        assert_eq!(adjust.zh(), "县级医院:报销比例 -10 个百分点");
        let penalty = find(|m| matches!(m, RatioPenaltyPoints { .. }));
        assert_eq!(penalty.en(), "referral rule broken: ratio +5 points");
    }
}
