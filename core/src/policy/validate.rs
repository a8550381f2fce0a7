//! Semantic checks on a parsed policy: everything serde cannot see.
//! Returns every problem found, each with the key path it concerns.

use super::{Cite, Meta, Policy, Status, Tier};
use crate::error::{Code, Problem};
use crate::money::Money;
use std::collections::BTreeMap;

pub fn validate(p: &Policy) -> Vec<Problem> {
    let mut v = Checker { p, out: vec![] };
    v.all();
    v.out
}

struct Checker<'p> {
    p: &'p Policy,
    out: Vec<Problem>,
}

impl Checker<'_> {
    fn err(&mut self, code: Code, path: String, zh: String, en: String) {
        self.out.push(Problem::new(code, path, zh, en));
    }

    fn cite(&mut self, c: &Cite, path: &str) {
        if self.p.source(&c.source).is_none() {
            self.err(
                Code::UnknownSource,
                format!("{path}.cite.source"),
                format!("引用的来源 \"{}\" 未在 \"[[sources]]\" 中列出", c.source),
                format!("cited source \"{}\" is not listed in [[sources]]", c.source),
            );
        }
        if c.clause.trim().is_empty() {
            self.err(
                Code::EmptyClause,
                format!("{path}.cite.clause"),
                "引用必须写明条款".into(),
                "a citation must name its clause".into(),
            );
        }
    }

    fn level(&mut self, id: &str, path: String) {
        if id != "*" && self.p.level(id).is_none() {
            self.err(
                Code::UnknownLevel,
                path,
                format!("未定义的医疗机构级别 \"{id}\""),
                format!("level \"{id}\" is not defined in [[levels]]"),
            );
        }
    }

    fn levels_of<T>(&mut self, m: &BTreeMap<String, T>, path: &str) {
        for k in m.keys() {
            self.level(k, format!("{path}.{k}"));
        }
    }

    fn categories(&mut self, cs: &[String], path: &str) {
        for (i, c) in cs.iter().enumerate() {
            if self.p.category(c).is_none() {
                self.err(
                    Code::UnknownCategory,
                    format!("{path}[{i}]"),
                    format!("未定义的人员类别 \"{c}\""),
                    format!("category \"{c}\" is not defined in [[categories]]"),
                );
            }
        }
    }

    /// Bands ordered, contiguous (only the last open), and above the threshold when cumulative.
    fn tiers(&mut self, tiers: &[Tier], path: &str, threshold: Option<Money>) {
        if tiers.is_empty() {
            self.err(
                Code::NoTiers,
                path.into(),
                "至少需要一个分段".into(),
                "at least one tier is needed".into(),
            );
        }
        let mut prev: Option<Money> = threshold;
        for (i, t) in tiers.iter().enumerate() {
            let last = i + 1 == tiers.len();
            match t.up_to {
                None if !last => self.err(
                    Code::OpenTierNotLast,
                    format!("{path}[{i}].up_to"),
                    "只有最后一个分段可以不设上限".into(),
                    "only the last tier may be open-ended".into(),
                ),
                Some(u) => {
                    if prev.is_some_and(|pv| u <= pv) {
                        self.err(
                            Code::TiersNotOrdered,
                            format!("{path}[{i}].up_to"),
                            format!("分段上限 {u} 必须大于前一段上限(或起付标准)"),
                            format!("tier bound {u} must be above the previous bound (or the threshold)"),
                        );
                    }
                    prev = Some(u);
                }
                None => {}
            }
        }
        // Above a closed last band the engine pays nothing: say so with an open band instead.
        if let Some(u) = tiers.last().and_then(|t| t.up_to) {
            self.err(
                Code::ClosedLastTier,
                format!("{path}[{}].up_to", tiers.len() - 1),
                format!(
                    "最后一个分段设有上限 {u},超出部分将一分不付;请在最后加一个不设上限的分段(若超出部分确实不付,其比例写 \"0%\")"
                ),
                format!(
                    "the last tier ends at {u}, so nothing would be paid above it; add an open last tier (without up_to), with rate = \"0%\" if really nothing is paid above"
                ),
            );
        }
    }

    fn one_of(&mut self, set: &[(&str, bool)], path: String) {
        if set.iter().filter(|(_, on)| *on).count() != 1 {
            let names: Vec<_> = set.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            self.err(
                Code::OneOf,
                path,
                format!("须且只能设置 {} 之一", names.join("、")),
                format!("set exactly one of {}", names.join(", ")),
            );
        }
    }

    fn non_empty<T>(&mut self, list: &[T], path: String) {
        if list.is_empty() {
            self.err(
                Code::EmptyList,
                path,
                "列表不能为空".into(),
                "the list must not be empty".into(),
            );
        }
    }

    /// Category tables, later-admission variants, the account, layer incentives and overrides,
    /// outpatient terms by category and out-of-area terms by kind of filing.
    fn issue17_rules(&mut self) {
        let p = self.p;
        for (i, t) in p.inpatient.tables.iter().enumerate() {
            let path = format!("inpatient.tables[{i}]");
            self.cite(&t.cite, &path);
            self.non_empty(&t.categories, format!("{path}.categories"));
            self.categories(&t.categories, &format!("{path}.categories"));
            self.levels_of(&t.deductible, &format!("{path}.deductible"));
            self.levels_of(&t.rates, &format!("{path}.rates"));
            self.levels_of(&t.tiered, &format!("{path}.tiered"));
            for (k, s) in &t.tiered {
                self.tiers(&s.tiers, &format!("{path}.tiered.{k}.tiers"), None);
                if t.rates.contains_key(k) {
                    self.err(
                        Code::RatioTwice,
                        format!("{path}.tiered.{k}"),
                        format!("级别 \"{k}\" 同时有固定比例和分段比例"),
                        format!("level {k} has both a flat and a tiered ratio"),
                    );
                }
            }
        }
        let d = &p.inpatient.deductible;
        for (i, n) in d.nth_admission.iter().enumerate() {
            let set = [
                ("factor", n.factor.is_some()),
                ("amount", n.amount.is_some()),
                ("by_level", !n.by_level.is_empty()),
                ("step_down", n.step_down.is_some()),
            ];
            let path = format!("inpatient.deductible.nth_admission[{i}]");
            self.levels_of(&n.by_level, &format!("{path}.by_level"));
            self.one_of(&set, path);
        }
        if let Some(o) = &d.once_a_year {
            self.cite(&o.cite, "inpatient.deductible.once_a_year");
        }
        if let Some(a) = &p.account {
            self.cite(&a.cite, "account");
        }
        for (i, l) in p.layers.iter().enumerate() {
            let path = format!("layers[{i}]");
            if let Some(r) = &l.cap_raise {
                self.cite(&r.cite, &format!("{path}.cap_raise"));
            }
            for (j, o) in l.overrides.iter().enumerate() {
                if o.categories.is_empty() && o.diseases.is_empty() {
                    self.err(
                        Code::EmptyList,
                        format!("{path}.overrides[{j}]"),
                        "特殊待遇须列出适用的人员类别或病种".into(),
                        "an override must list its categories or diseases".into(),
                    );
                }
            }
        }
        for (i, r) in p.outpatient.iter().enumerate() {
            let path = format!("outpatient[{i}]");
            self.levels_of(
                &r.per_visit_deductible,
                &format!("{path}.per_visit_deductible"),
            );
            let annual =
                r.deductible.is_some() || r.by_category.iter().any(|t| t.deductible.is_some());
            if annual && !r.per_visit_deductible.is_empty() {
                self.one_of(
                    &[("deductible", true), ("per_visit_deductible", true)],
                    format!("{path}.per_visit_deductible"),
                );
            }
            for (j, t) in r.by_category.iter().enumerate() {
                let tp = format!("{path}.by_category[{j}]");
                self.cite(&t.cite, &tp);
                self.non_empty(&t.categories, format!("{tp}.categories"));
                self.categories(&t.categories, &format!("{tp}.categories"));
                self.levels_of(&t.rates, &format!("{tp}.rates"));
            }
        }
        for (i, o) in p
            .referral
            .iter()
            .flat_map(|r| r.out_of_area.iter())
            .enumerate()
        {
            for (j, t) in o.by_filing.iter().enumerate() {
                let tp = format!("referral.out_of_area[{i}].by_filing[{j}]");
                self.cite(&t.cite, &tp);
                self.non_empty(&t.kinds, format!("{tp}.kinds"));
            }
        }
    }

    fn all(&mut self) {
        let p = self.p;
        if p.meta.effective_from > p.meta.effective_to {
            self.err(
                Code::PeriodReversed,
                "meta.effective_to".into(),
                "有效期结束日期早于开始日期".into(),
                "effective_to is before effective_from".into(),
            );
        }
        dupes(self, p.sources.iter().map(|s| s.id.as_str()), "sources");
        dupes(self, p.levels.iter().map(|s| s.id.as_str()), "levels");
        for (i, l) in p.levels.iter().enumerate() {
            let Some(t) = &l.typical_stay else { continue };
            let path = format!("levels[{i}].typical_stay");
            self.cite(&t.cite, &path);
            if t.up_to.is_zero() {
                self.err(
                    Code::ZeroTypicalStay,
                    format!("{path}.up_to"),
                    format!("级别 \"{}\" 的常见住院费用上限为 0", l.id),
                    format!("level {}'s typical stay is up to 0", l.id),
                );
            }
        }
        dupes(
            self,
            p.categories.iter().map(|s| s.id.as_str()),
            "categories",
        );
        self.cite(&p.rounding.cite, "rounding");
        dupes(
            self,
            p.not_encoded.iter().map(|n| n.id.as_str()),
            "not_encoded",
        );
        for (i, n) in p.not_encoded.iter().enumerate() {
            let path = format!("not_encoded[{i}]");
            self.cite(&n.cite, &path);
            for (j, l) in n.when.levels.iter().enumerate() {
                self.level(l, format!("{path}.when.levels[{j}]"));
            }
            self.categories(&n.when.categories, &format!("{path}.when.categories"));
            if n.when.above_basic_cap && !p.has_basic_cap() {
                self.err(
                    Code::InvalidValue,
                    format!("{path}.when.above_basic_cap"),
                    "本政策没有基本统筹的年度或单次封顶线,这一条件永远不会成立".into(),
                    "the policy has no annual or per-admission cap of the basic fund: this condition can never hold".into(),
                );
            }
            if n.zh.trim().is_empty() || n.en.trim().is_empty() {
                self.err(
                    Code::EmptyClause,
                    format!("{path}.zh"),
                    "未编码的规则须用中文和英文写明".into(),
                    "a rule left out must be worded in Chinese and in English".into(),
                );
            }
        }
        if let Some(b) = &p.bill {
            self.cite(&b.cite, "bill");
        }

        let d = &p.inpatient.deductible;
        self.cite(&d.cite, "inpatient.deductible");
        self.levels_of(&d.by_level, "inpatient.deductible.by_level");
        self.levels_of(&d.percent_of_bill, "inpatient.deductible.percent_of_bill");
        for (k, pct) in &d.percent_of_bill {
            self.cite(
                &pct.cite,
                &format!("inpatient.deductible.percent_of_bill.{k}"),
            );
            if pct.floor > pct.ceiling {
                self.err(
                    Code::FloorAboveCeiling,
                    format!("inpatient.deductible.percent_of_bill.{k}.floor"),
                    "起付线下限高于上限".into(),
                    "floor is above ceiling".into(),
                );
            }
        }
        for (i, n) in d.nth_admission.iter().enumerate() {
            self.cite(&n.cite, &format!("inpatient.deductible.nth_admission[{i}]"));
            // A rule for some diseases may hold from the first stay (精神病住院不设起付线).
            let first = if n.diseases.is_empty() { 2 } else { 1 };
            if n.from < first {
                self.err(
                    Code::BadAdmissionNumber,
                    format!("inpatient.deductible.nth_admission[{i}].from"),
                    format!("次数应从 {first} 起(按病种的规则可从 1 起)"),
                    format!("`from` starts at admission {first} (a rule for some diseases may start at 1)"),
                );
            }
        }
        for (i, c) in d.by_category.iter().enumerate() {
            self.cite(&c.cite, &format!("inpatient.deductible.by_category[{i}]"));
            self.categories(
                &c.categories,
                &format!("inpatient.deductible.by_category[{i}].categories"),
            );
        }
        if (d.upward_difference_only || d.waived_after_downward) && d.transfer_cite.is_none() {
            self.err(
                Code::Uncited,
                "inpatient.deductible.transfer_cite".into(),
                "转诊起付线规则须注明出处".into(),
                "the transfer deductible rules need a citation".into(),
            );
        }
        if let Some(c) = &d.transfer_cite {
            self.cite(c, "inpatient.deductible.transfer");
        }

        let r = &p.inpatient.ratio;
        self.cite(&r.cite, "inpatient.ratio");
        self.levels_of(&r.rates, "inpatient.ratio.rates");
        self.levels_of(&r.tiered, "inpatient.ratio.tiered");
        self.levels_of(&r.floor, "inpatient.ratio.floor");
        if !r.floor.is_empty() && r.floor_cite.is_none() {
            self.err(
                Code::Uncited,
                "inpatient.ratio.floor_cite".into(),
                "比例下限须注明出处".into(),
                "the ratio floor needs a citation".into(),
            );
        }
        for (k, s) in &r.tiered {
            self.tiers(&s.tiers, &format!("inpatient.ratio.tiered.{k}.tiers"), None);
        }
        for l in &p.levels {
            let has_ded = d.by_level.contains_key(&l.id) || d.percent_of_bill.contains_key(&l.id);
            let has_rate = p.has_inpatient(&l.id);
            // A level may have no inpatient rules (村卫生室); then it needs neither.
            if has_rate && !has_ded {
                self.err(
                    Code::LevelWithoutDeductible,
                    format!("inpatient.deductible.by_level.{}", l.id),
                    format!("级别 \"{}\" 没有起付线", l.id),
                    format!("level {} has no deductible", l.id),
                );
            }
            if has_ded && !has_rate {
                self.err(
                    Code::LevelWithoutRatio,
                    format!("inpatient.ratio.rates.{}", l.id),
                    format!("级别 \"{}\" 没有报销比例", l.id),
                    format!("level {} has no ratio", l.id),
                );
            }
            if r.rates.contains_key(&l.id) && r.tiered.contains_key(&l.id) {
                self.err(
                    Code::RatioTwice,
                    format!("inpatient.ratio.tiered.{}", l.id),
                    format!("级别 \"{}\" 同时有固定比例和分段比例", l.id),
                    format!("level {} has both a flat and a tiered ratio", l.id),
                );
            }
        }
        for (i, a) in r.adjust.iter().enumerate() {
            let path = format!("inpatient.ratio.adjust[{i}]");
            self.cite(&a.cite, &path);
            if let Some(cs) = &a.when.categories {
                self.categories(cs, &format!("{path}.when.categories"));
            }
            for (j, l) in a.when.levels.iter().flatten().enumerate() {
                self.level(l, format!("{path}.when.levels[{j}]"));
            }
        }
        let caps = &p.inpatient.caps;
        self.cite(&caps.cite, "inpatient.caps");
        if let Some(cap) = caps.annual_fund {
            for (k, ded) in &d.by_level {
                if *ded >= cap {
                    self.err(
                        Code::CapBelowThreshold,
                        "inpatient.caps.annual_fund".into(),
                        format!("年度封顶线 {cap} 不高于 \"{k}\" 的起付线 {ded}"),
                        format!("annual cap {cap} is not above the {k} deductible {ded}"),
                    );
                }
            }
        }

        for (i, f) in p.fixed.iter().enumerate() {
            let path = format!("fixed[{i}]");
            self.cite(&f.cite, &path);
            self.levels_of(&f.quota, &format!("{path}.quota"));
            self.levels_of(&f.fund_rate, &format!("{path}.fund_rate"));
            self.levels_of(&f.fund_amount, &format!("{path}.fund_amount"));
            if f.fund_rate.is_empty() && f.fund_amount.is_empty() {
                self.err(
                    Code::FixedWithoutFund,
                    path.clone(),
                    "定额项目须规定基金支付比例或金额".into(),
                    "a fixed route needs fund_rate or fund_amount".into(),
                );
            }
            if f.automatic && f.diseases.is_empty() {
                self.err(
                    Code::AutomaticWithoutDiseases,
                    format!("{path}.diseases"),
                    "自动适用的定额项目须列出病种".into(),
                    "an automatic route must list its diseases".into(),
                );
            }
        }
        dupes(self, p.fixed.iter().map(|f| f.id.as_str()), "fixed");

        for (i, l) in p.layers.iter().enumerate() {
            let path = format!("layers[{i}]");
            self.cite(&l.cite, &path);
            if l.on == super::LayerBase::AboveBasicCap && !p.has_basic_cap() {
                self.err(
                    Code::InvalidValue,
                    format!("{path}.on"),
                    "本政策没有基本统筹的封顶线,\"统筹封顶线以上\"的补助永远不会支付".into(),
                    "the policy has no basic-fund cap: a layer above it would never pay".into(),
                );
            }
            if let Some(cs) = &l.categories {
                self.categories(cs, &format!("{path}.categories"));
            }
            let t = (l.base == super::TierBase::Cumulative).then_some(l.threshold);
            self.tiers(&l.tiers, &format!("{path}.tiers"), t);
            if let Some(cap) = l.annual_cap {
                if cap.is_zero() {
                    self.err(
                        Code::ZeroCap,
                        format!("{path}.annual_cap"),
                        "年度限额须大于 0".into(),
                        "annual cap must be above 0".into(),
                    );
                }
            }
            for (j, o) in l.overrides.iter().enumerate() {
                let op = format!("{path}.overrides[{j}]");
                self.cite(&o.cite, &op);
                self.categories(&o.categories, &format!("{op}.categories"));
                if let Some(ts) = &o.tiers {
                    let th = (l.base == super::TierBase::Cumulative)
                        .then_some(o.threshold.unwrap_or(l.threshold));
                    self.tiers(ts, &format!("{op}.tiers"), th);
                }
            }
        }
        dupes(self, p.layers.iter().map(|f| f.id.as_str()), "layers");
        self.issue17_rules();

        if let Some(m) = &p.overall.max_share {
            self.cite(&m.cite, "overall.max_share");
        }
        for (i, f) in p.overall.full_relief.iter().enumerate() {
            self.cite(&f.cite, &format!("overall.full_relief[{i}]"));
            self.categories(
                &f.categories,
                &format!("overall.full_relief[{i}].categories"),
            );
        }
        for (i, f) in p.overall.floor.iter().enumerate() {
            self.cite(&f.cite, &format!("overall.floor[{i}]"));
            self.categories(&f.categories, &format!("overall.floor[{i}].categories"));
        }
        for (i, o) in p.outpatient.iter().enumerate() {
            let path = format!("outpatient[{i}]");
            self.cite(&o.cite, &path);
            self.levels_of(&o.rates, &format!("{path}.rates"));
            if o.kind != super::OutpatientKind::General && o.diseases.is_empty() {
                self.err(
                    Code::RouteWithoutDiseases,
                    format!("{path}.diseases"),
                    "慢病/两病门诊须列出病种".into(),
                    "chronic and two-disease routes must list diseases".into(),
                );
            }
        }
        dupes(
            self,
            p.outpatient.iter().map(|f| f.id.as_str()),
            "outpatient",
        );
        for (i, c) in p.outpatient_caps.iter().enumerate() {
            let path = format!("outpatient_caps[{i}]");
            self.cite(&c.cite, &path);
            if c.routes.len() < 2 {
                self.err(
                    Code::EmptyList,
                    format!("{path}.routes"),
                    "合计限额须列出至少两个门诊项目".into(),
                    "a shared limit must list at least two outpatient routes".into(),
                );
            }
            for (j, id) in c.routes.iter().enumerate() {
                if !p.outpatient.iter().any(|r| &r.id == id) {
                    self.err(
                        Code::UnknownRoute,
                        format!("{path}.routes[{j}]"),
                        format!("没有 id 为 \"{id}\" 的门诊项目"),
                        format!("no outpatient route has the id {id:?}"),
                    );
                }
            }
        }
        dupes(
            self,
            p.outpatient_caps.iter().map(|c| c.id.as_str()),
            "outpatient_caps",
        );
        for (i, r) in p.outpatient.iter().enumerate() {
            if r.shares_inpatient_cap && !p.has_annual_cap() {
                self.err(
                    Code::SharedCapMissing,
                    format!("outpatient[{i}].shares_inpatient_cap"),
                    "该门诊项目与住院共用年度限额,但政策没有统筹基金年度最高支付限额".into(),
                    "the route shares the inpatient annual cap, but the policy has none".into(),
                );
            }
        }
        if let Some(t) = &p.typical_mix {
            self.cite(&t.cite, "typical_mix");
            self.levels_of(&t.by_level, "typical_mix.by_level");
            for (k, m) in &t.by_level {
                for i in 0..3 {
                    if m.out_of_scope[i].0 + m.preselfpay[i].0 > rust_decimal::Decimal::ONE {
                        self.err(
                            Code::MixOver100,
                            format!("typical_mix.by_level.{k}"),
                            "范围外与先行自付比例之和超过 100%".into(),
                            "out-of-scope and paid-first shares exceed 100%".into(),
                        );
                    }
                }
                if !(m.out_of_scope[0] <= m.out_of_scope[1]
                    && m.out_of_scope[1] <= m.out_of_scope[2])
                {
                    self.err(
                        Code::MixNotOrdered,
                        format!("typical_mix.by_level.{k}.out_of_scope"),
                        "费用结构应按 低、典型、高 排列".into(),
                        "mix must be ordered low, typical, high".into(),
                    );
                }
            }
        }
        if let Some(r) = &p.referral {
            self.cite(&r.exemptions.cite, "referral.exemptions");
            if let Some(x) = &r.primary_first {
                self.cite(&x.cite, "referral.primary_first");
            }
            if let Some(x) = &r.upward {
                self.cite(&x.cite, "referral.upward");
            }
            for (i, x) in r.out_of_area.iter().enumerate() {
                self.cite(&x.cite, &format!("referral.out_of_area[{i}]"));
            }
            if let Some(x) = &r.transfer_down {
                self.cite(&x.cite, "referral.transfer_down");
                if x.stable_days < 2 {
                    self.err(
                        Code::TooFewDays,
                        "referral.transfer_down.stable_days".into(),
                        "稳定天数至少为 2".into(),
                        "stable_days must be at least 2".into(),
                    );
                }
            }
        }
        if let Some(c) = &p.catalogue {
            self.cite(&c.cite, "catalogue");
            for (i, d) in c.diseases.iter().enumerate() {
                let path = format!("catalogue.diseases[{i}]");
                if !crate::policy::looks_like_icd10(&d.code) {
                    self.err(
                        Code::BadIcd10,
                        format!("{path}.code"),
                        format!("\"{}\" 不是 ICD-10 编码", d.code),
                        format!("\"{}\" is not an ICD-10 code", d.code),
                    );
                }
                for (j, l) in d.levels.iter().enumerate() {
                    self.level(l, format!("{path}.levels[{j}]"));
                }
                if let Some(f) = &d.first_level {
                    self.level(f, format!("{path}.first_level"));
                }
                if !d.pinyin.chars().all(|c| c.is_ascii_lowercase()) {
                    self.err(
                        Code::BadPinyin,
                        format!("{path}.pinyin"),
                        "拼音首字母只能是小写字母".into(),
                        "pinyin initials must be lowercase letters".into(),
                    );
                }
            }
        }
    }
}

fn dupes<'a>(c: &mut Checker, ids: impl Iterator<Item = &'a str>, path: &str) {
    // A handful of ids per list: a vector is enough.
    let mut seen: Vec<&str> = Vec::new();
    for (i, id) in ids.enumerate() {
        if seen.contains(&id) {
            c.err(
                Code::DuplicateId,
                format!("{path}[{i}].id"),
                format!("重复的编号 \"{id}\""),
                format!("duplicate id \"{id}\""),
            );
        } else {
            seen.push(id);
        }
    }
}

/// Whether two policies are rules of the same region: by 行政区划代码 when both give one, else
/// by the region's name.
fn same_region(a: &Meta, b: &Meta) -> bool {
    match (&a.region_code, &b.region_code) {
        (Some(x), Some(y)) => x.trim() == y.trim(),
        _ => a.region_zh == b.region_zh,
    }
}

/// The rules in force of one region, scheme and part of the benefit must not overlap in time
/// across files. Excerpts and examples are not a region's rules in force: they are left out.
pub fn overlaps(policies: &[(&str, &Policy)]) -> Vec<Problem> {
    let in_force = |p: &Policy| !matches!(p.meta.status, Status::Excerpt | Status::Example);
    let mut out = vec![];
    for (i, (fa, a)) in policies.iter().enumerate() {
        for (fb, b) in &policies[i + 1..] {
            let (ma, mb) = (&a.meta, &b.meta);
            let same = in_force(a)
                && in_force(b)
                && same_region(ma, mb)
                && ma.scheme == mb.scheme
                && ma.covers == mb.covers;
            if same && ma.effective_from <= mb.effective_to && mb.effective_from <= ma.effective_to
            {
                let mut p = Problem::new(
                    Code::OverlappingPeriods,
                    "meta.effective_from",
                    format!(
                        "与 {} 的有效期重叠({} 同一险种、同一部分待遇)",
                        crate::error::quoted(fb),
                        ma.region_zh
                    ),
                    format!(
                        "effective period overlaps {} (same region, scheme and part of the benefit)",
                        crate::error::quoted(fb)
                    ),
                );
                p.file = Some(fa.to_string());
                out.push(p);
            }
        }
    }
    out
}

/// Rules that most real policies of a scheme have and that this file neither encodes nor lists
/// in `[[not_encoded]]`: warnings (`unstated_omission`), not errors — an estimate under such a
/// file would leave a payer out without saying so. Example policies are not checked.
pub fn warnings(p: &Policy) -> Vec<Problem> {
    use super::{Covers, OmittedRule, PaysInto, Scheme};
    if p.meta.status == Status::Example || p.meta.covers == Covers::Supplement {
        return vec![];
    }
    let pays = |into: PaysInto| {
        p.layers.iter().any(|l| l.pays_into == into)
            || p.overall.floor.iter().any(|f| f.pays_into == into)
            || p.overall.full_relief.iter().any(|f| f.pays_into == into)
    };
    let listed = |rule: OmittedRule| p.not_encoded.iter().any(|n| n.rule == rule);
    let mut expected = vec![];
    match p.meta.scheme {
        Scheme::Employee => expected.push((
            OmittedRule::Hifob,
            pays(PaysInto::HifobPay),
            "职工大额医疗补助(hifob_pay)",
            "the employee 大额 supplement (hifob_pay)",
        )),
        Scheme::Resident | Scheme::Ncms => {
            expected.push((
                OmittedRule::Hifmi,
                pays(PaysInto::HifmiPay),
                "居民大病保险(hifmi_pay)",
                "residents' 大病保险 (hifmi_pay)",
            ));
            expected.push((
                OmittedRule::Maf,
                pays(PaysInto::MafPay),
                "医疗救助(maf_pay)",
                "医疗救助 medical assistance (maf_pay)",
            ));
        }
    }
    expected.push((
        OmittedRule::Preselfpay,
        p.bill.is_some(),
        "乙类及特殊项目先行自付",
        "乙类 and special items' 先行自付",
    ));
    expected
        .into_iter()
        .filter(|(rule, encoded, _, _)| !encoded && !listed(*rule))
        .map(|(rule, _, zh, en)| {
            let key = rule.as_str();
            Problem::new(
                Code::UnstatedOmission,
                "not_encoded",
                format!(
                    "本政策未编码{zh},也未在 [[not_encoded]] 中说明(rule = \"{key}\"):估算会不加说明地漏掉这一项"
                ),
                format!(
                    "the policy neither encodes {en} nor lists it in [[not_encoded]] (rule = \"{key}\"): estimates would leave it out without a word"
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tests::assert_languages;
    use crate::policy::load::parse_policy;
    use crate::policy::Covers;

    fn policy(path: &str) -> Policy {
        parse_policy(yibao_shipped::file(path).unwrap(), path)
            .unwrap()
            .policy
    }

    fn demo() -> Policy {
        policy(yibao_shipped::DEMO)
    }

    fn codes(ps: &[Problem]) -> Vec<String> {
        ps.iter()
            .map(|p| {
                assert_languages(p);
                format!("{}@{}", p.code, p.path)
            })
            .collect()
    }

    fn money(s: &str) -> Option<Money> {
        Some(Money::parse(s).unwrap())
    }

    #[test]
    fn nth_admission_by_level_names_defined_levels_and_stands_alone() {
        let mut p = policy("tianjin/employee-2024");
        assert!(validate(&p).is_empty());
        let nth = &mut p.inpatient.deductible.nth_admission[0];
        nth.by_level.insert("level9".into(), Money::ZERO);
        nth.amount = money("100");
        let ps = validate(&p);
        assert_eq!(
            codes(&ps),
            [
                "unknown_level@inpatient.deductible.nth_admission[0].by_level.level9",
                "one_of@inpatient.deductible.nth_admission[0]"
            ]
        );
    }

    #[test]
    fn a_levels_typical_stay_is_cited_and_above_zero() {
        let mut p = demo();
        assert!(validate(&p).is_empty());
        let i = p.levels.iter().position(|l| l.id == "township").unwrap();
        let t = p.levels[i]
            .typical_stay
            .as_mut()
            .expect("the demo gives one");
        t.up_to = Money::ZERO;
        t.cite.source = "nowhere".into();
        t.cite.clause = " ".into();
        let ps = validate(&p);
        assert_eq!(
            codes(&ps),
            [
                format!("unknown_source@levels[{i}].typical_stay.cite.source"),
                format!("empty_clause@levels[{i}].typical_stay.cite.clause"),
                format!("zero_typical_stay@levels[{i}].typical_stay.up_to"),
            ]
        );
    }

    #[test]
    fn a_closed_last_tier_is_refused() {
        let mut p = demo();
        p.layers[0].tiers[1].up_to = money("500000");
        let ps = validate(&p);
        assert_eq!(codes(&ps), ["closed_last_tier@layers[0].tiers[1].up_to"]);
        assert!(ps[0].message_zh.contains("不设上限的分段") && ps[0].message_zh.contains("\"0%\""));
        assert!(
            ps[0].message_en.contains("add an open last tier")
                && ps[0].message_en.contains("\"0%\"")
        );
        // One closed tier alone, and in a layer's override, likewise.
        let mut p = demo();
        p.layers[1].tiers[0].up_to = money("1000");
        let ps = validate(&p);
        assert_eq!(codes(&ps), ["closed_last_tier@layers[1].tiers[0].up_to"]);
        let mut p = demo();
        p.layers[0].overrides[0].tiers = Some(vec![Tier {
            up_to: money("90000"),
            rate: crate::money::Rate::ONE,
        }]);
        assert_eq!(
            codes(&validate(&p)),
            ["closed_last_tier@layers[0].overrides[0].tiers[0].up_to"]
        );
        // An open last tier at 0% is how "nothing above" is said.
        let mut p = demo();
        p.layers[0].tiers[1].up_to = money("500000");
        p.layers[0].tiers.push(Tier {
            up_to: None,
            rate: crate::money::Rate::ZERO,
        });
        assert_eq!(codes(&validate(&p)), Vec::<String>::new());
    }

    #[test]
    fn no_category_is_required_by_name() {
        // A two-population employee policy: in service and retired, no "general".
        let mut p = demo();
        p.meta.scheme = super::super::Scheme::Employee;
        p.categories.retain(|c| c.id != "general");
        for (id, zh, en) in [
            ("in_service", "在职职工", "employee in service"),
            ("retired", "退休人员", "retired employee"),
        ] {
            p.categories.push(super::super::Category {
                id: id.into(),
                name_zh: zh.into(),
                name_en: en.into(),
            });
        }
        assert_eq!(codes(&validate(&p)), Vec::<String>::new());
        // A case that names no category (so "general", the case's default) is told which
        // categories this policy has.
        let doc = crate::PolicyDoc {
            policy: p,
            sha256: String::new(),
        };
        let case: crate::Case = crate::input::from_json(
            r#"{"date":"2025-03-01","level":"county","bill":{"total":"8000"}}"#,
        )
        .unwrap();
        let today = crate::Date::parse("2025-06-01").unwrap();
        let ps = crate::estimate(&doc, &case, today).unwrap_err().0;
        assert_eq!(ps.len(), 1, "{ps:?}");
        let mut p = ps[0].clone();
        assert_eq!(
            (p.code, p.path.as_str()),
            (Code::UnknownCategory, "patient.category")
        );
        assert!(
            p.message_zh.contains("\"general\"") && p.message_zh.ends_with("in_service、retired")
        );
        assert!(p.message_en.ends_with("in_service, retired"), "{p:?}");
        // Once the ids it lists are set aside, each half is in its own language.
        for c in &doc.policy.categories {
            p.message_zh = p.message_zh.replace(&c.id, "");
            p.message_en = p.message_en.replace(&c.id, "");
        }
        assert_languages(&p);
    }

    fn meta(p: &mut Policy, code: Option<&str>, name: &str, covers: Covers, status: Status) {
        p.meta.region_code = code.map(String::from);
        p.meta.region_zh = name.into();
        p.meta.covers = covers;
        p.meta.status = status;
    }

    #[test]
    fn periods_overlap_only_for_the_rules_in_force_of_one_region_scheme_and_part() {
        use Covers::*;
        use Status::*;
        let (mut a, mut b) = (demo(), demo());
        let run = |a: &Policy, b: &Policy| codes(&overlaps(&[("a.toml", a), ("b.toml", b)]));
        // Two official basic policies of one region code and scheme whose periods overlap.
        meta(&mut a, Some("340300"), "安徽省蚌埠市", Basic, Official);
        meta(&mut b, Some("340300"), "蚌埠市", Basic, Official);
        let ps = overlaps(&[("a.toml", &a), ("b.toml", &b)]);
        assert_eq!(codes(&ps), ["overlapping_periods@meta.effective_from"]);
        assert_eq!(ps[0].file.as_deref(), Some("a.toml"));
        // Without codes, by name.
        meta(&mut a, None, "示例县", Basic, Official);
        meta(&mut b, None, "示例县", Basic, Official);
        assert_eq!(run(&a, &b), ["overlapping_periods@meta.effective_from"]);
        // Same name, different codes: two places.
        meta(&mut a, Some("110101"), "城区", Basic, Official);
        meta(&mut b, Some("120101"), "城区", Basic, Official);
        assert!(run(&a, &b).is_empty());
        // Basic rules and a 大病 document of the same region and year sit side by side.
        meta(&mut a, Some("370000"), "山东省", Basic, Official);
        meta(&mut b, Some("370000"), "山东省", Supplement, Official);
        assert!(run(&a, &b).is_empty());
        // Two excerpts (or examples) of one region are no region's rules in force.
        meta(&mut a, Some("370000"), "山东省", Basic, Excerpt);
        meta(&mut b, Some("370000"), "山东省", Basic, Excerpt);
        assert!(run(&a, &b).is_empty());
        meta(&mut a, Some("370000"), "山东省", Basic, Example);
        meta(&mut b, Some("370000"), "山东省", Basic, Official);
        assert!(run(&a, &b).is_empty());
        // Another scheme, or periods apart: no overlap.
        meta(&mut a, Some("370000"), "山东省", Basic, Official);
        meta(&mut b, Some("370000"), "山东省", Basic, Official);
        b.meta.scheme = super::super::Scheme::Employee;
        assert!(run(&a, &b).is_empty());
        b.meta.scheme = a.meta.scheme;
        b.meta.effective_from = crate::Date::parse("2027-01-01").unwrap();
        b.meta.effective_to = crate::Date::parse("2027-12-31").unwrap();
        assert!(run(&a, &b).is_empty());
    }

    #[test]
    fn the_shipped_policies_do_not_overlap() {
        let all: Vec<(&str, Policy)> = yibao_shipped::policies()
            .map(|(path, _)| (path, policy(path)))
            .collect();
        let refs: Vec<(&str, &Policy)> = all.iter().map(|(f, p)| (*f, p)).collect();
        assert_eq!(codes(&overlaps(&refs)), Vec::<String>::new());
        let sd = policy("shandong/critical-illness-2014.toml");
        assert_eq!(sd.meta.covers, Covers::Supplement);
    }
}
