//! What the office editor knows of the policy's shape: for each struct of `yibao_core::policy`,
//! its fields in declaration order, what each holds, whether serde requires it, and its Chinese
//! label. Not a second policy type — the draft is the policy's own value tree, read and checked
//! by core — only the hints a form needs to lay out, label and add fields (a unit test keeps this
//! table covering every key the shipped policies serialize).

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// An amount in yuan (`"600"`).
    Money,
    /// A rate (`"75%"`).
    Rate,
    /// Percentage points (`"5"`, `"-10"`).
    Points,
    Int,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    Enum(&'static [&'static str]),
    /// A list of short strings (ids, codes), edited as one comma-separated field.
    List,
    /// A list of enum values.
    EnumList(&'static [&'static str]),
    /// A struct, by its name in [`STRUCTS`].
    Struct(&'static str),
    /// A list of structs.
    Array(&'static str),
    /// A table from an id (a level, a class) to an amount or a rate.
    MapOf(&'static Kind),
    /// A table from an id to a struct.
    MapStruct(&'static str),
    /// `{ source, clause, illustrative }`.
    Cite,
}

impl Kind {
    /// Edited in one input.
    pub fn scalar(self) -> bool {
        !matches!(
            self,
            Kind::Struct(_) | Kind::Array(_) | Kind::MapOf(_) | Kind::MapStruct(_) | Kind::Cite
        )
    }
}

/// Whether serde needs the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Required,
    /// `#[serde(default)]` on a non-`Option`: empty, `false` and absent read the same.
    Default,
    /// An `Option`: absent is `None`; an empty list is `Some([])`.
    Optional,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    pub need: Need,
    pub zh: &'static str,
}

const fn f(key: &'static str, kind: Kind, need: Need, zh: &'static str) -> Field {
    Field {
        key,
        kind,
        need,
        zh,
    }
}

use Kind::*;
use Need::*;

pub const SCHEME: &[&str] = &["resident", "ncms", "employee"];
pub const STATUS: &[&str] = &["official", "example", "excerpt", "secondary"];
pub const COVERS: &[&str] = &["basic", "supplement"];
pub const SCOPE: &[&str] = &["county", "city", "province", "national"];
pub const TIER_BASE: &[&str] = &["cumulative", "above_threshold"];
pub const FIXED_KIND: &[&str] = &["single_disease", "childbirth", "graded_quota", "per_unit"];
pub const PAYS_INTO: &[&str] = &[
    "hifmi_pay",
    "hifob_pay",
    "yb_commercial_pay",
    "maf_pay",
    "oth_pay",
    "cvlserv_pay",
    "hifes_pay",
    "hifdm_pay",
];
pub const OMITTED_RULE: &[&str] = &[
    "hifob",
    "hifmi",
    "maf",
    "preselfpay",
    "out_of_area",
    "outpatient",
    "maternity",
    "deductible",
    "reading",
    "other",
];
pub const EFFECT: &[&str] = &["overstates", "understates", "unknown"];
pub const SETTING: &[&str] = &["inpatient", "outpatient"];
pub const LAYER_BASE: &[&str] = &["in_scope", "out_of_scope", "above_basic_cap"];
pub const OUTPATIENT_KIND: &[&str] = &["general", "chronic", "two_diseases"];
pub const FILING: &[&str] = &["long_term", "temporary", "referral", "emergency", "unfiled"];
pub const ROUND_MODE: &[&str] = &["half_up", "truncate"];
pub const ROUND_UNIT: &[&str] = &["fen", "jiao", "yuan"];
const MONEY: &Kind = &Money;
const RATE: &Kind = &Rate;

/// Every struct of the policy, by name; `Policy` is the root. (A table: one field a line.)
#[rustfmt::skip]
pub const STRUCTS: &[(&str, &[Field])] = &[
    ("Policy", &[
        f("meta", Struct("Meta"), Required, "基本信息"),
        f("sources", Array("Source"), Required, "政策文件"),
        f("rounding", Struct("Rounding"), Required, "舍入"),
        f("levels", Array("Level"), Required, "医疗机构级别"),
        f("categories", Array("Category"), Required, "人员类别"),
        f("bill", Struct("BillRules"), Optional, "先行自付"),
        f("inpatient", Struct("Inpatient"), Required, "住院"),
        f("fixed", Array("FixedRoute"), Default, "定额病种"),
        f("layers", Array("Layer"), Default, "大病/救助等"),
        f("overall", Struct("Overall"), Default, "总体封顶与兜底"),
        f("outpatient", Array("OutpatientRoute"), Default, "门诊"),
        f("outpatient_caps", Array("CombinedCap"), Default, "门诊合计限额"),
        f("typical_mix", Struct("TypicalMix"), Optional, "典型费用构成"),
        f("referral", Struct("ReferralRules"), Optional, "转诊规则"),
        f("catalogue", Struct("Catalogue"), Optional, "病种目录"),
        f("account", Struct("Account"), Optional, "个人账户"),
        f("not_encoded", Array("NotEncoded"), Default, "未编码的规则"),
    ]),
    ("Meta", &[
        f("id", Text, Required, "编号"),
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
        f("region_zh", Text, Required, "地区"),
        f("region_en", Text, Required, "英文地区"),
        f("region_code", Text, Optional, "行政区划代码"),
        f("scheme", Enum(SCHEME), Required, "险种"),
        f("effective_from", Date, Required, "起始日期"),
        f("effective_to", Date, Required, "截止日期"),
        f("status", Enum(STATUS), Required, "状态"),
        f("covers", Enum(COVERS), Default, "范围"),
        f("note", Text, Optional, "备注"),
    ]),
    ("Source", &[
        f("id", Text, Required, "编号"),
        f("doc_no", Text, Optional, "文号"),
        f("title", Text, Required, "标题"),
        f("publisher", Text, Optional, "发布机关"),
        f("url", Text, Optional, "网址"),
        f("published", Date, Optional, "发布日期"),
    ]),
    ("Rounding", &[
        f("mode", Enum(ROUND_MODE), Required, "方式"),
        f("unit", Enum(ROUND_UNIT), Required, "单位"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Level", &[
        f("id", Text, Required, "编号"),
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
        f("rank", Int, Required, "层级"),
        f("scope", Enum(SCOPE), Required, "区域"),
        f("typical_stay", Struct("TypicalStay"), Optional, "一般收治的住院费用"),
    ]),
    ("TypicalStay", &[
        f("up_to", Money, Required, "住院总费用上限"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Category", &[
        f("id", Text, Required, "编号"),
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
    ]),
    ("BillRules", &[
        f("preselfpay", MapOf(RATE), Required, "先行自付比例(按项目类别)"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Inpatient", &[
        f("deductible", Struct("Deductible"), Required, "起付线"),
        f("ratio", Struct("RatioRules"), Required, "报销比例"),
        f("caps", Struct("Caps"), Required, "封顶线"),
        f("tables", Array("CategoryTable"), Default, "人群单列待遇"),
    ]),
    ("CategoryTable", &[
        f("categories", List, Required, "人员类别"),
        f("deductible", MapOf(MONEY), Default, "起付线(按级别)"),
        f("rates", MapOf(RATE), Default, "报销比例(按级别)"),
        f("tiered", MapStruct("Schedule"), Default, "分段比例(按级别)"),
        f("copay_factor", Rate, Optional, "个人负担系数"),
        f("annual_fund", Money, Optional, "年度封顶"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Deductible", &[
        f("by_level", MapOf(MONEY), Required, "起付线(按级别)"),
        f("percent_of_bill", MapStruct("PercentDeductible"), Default, "按费用比例的起付线"),
        f("nth_admission", Array("NthAdmission"), Default, "多次住院"),
        f("by_category", Array("CategoryFactor"), Default, "人群起付线系数"),
        f("upward_difference_only", Bool, Default, "上转只补差额"),
        f("waived_after_downward", Bool, Default, "下转不再计起付线"),
        f("transfer_cite", Cite, Optional, "转诊规则出处"),
        f("once_a_year", Struct("OnceAYear"), Optional, "一年只计一次"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("OnceAYear", &[
        f("cap", Money, Optional, "年度起付线合计上限"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("PercentDeductible", &[
        f("rate", Rate, Required, "比例"),
        f("floor", Money, Required, "下限"),
        f("ceiling", Money, Required, "上限"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("NthAdmission", &[
        f("from", Int, Required, "自第几次住院"),
        f("factor", Rate, Optional, "系数"),
        f("amount", Money, Optional, "金额"),
        f("by_level", MapOf(MONEY), Default, "按级别金额"),
        f("step_down", Money, Optional, "每次递减"),
        f("min", Money, Optional, "最低"),
        f("ages", Array("AgeRange"), Default, "年龄段"),
        f("diseases", List, Default, "疾病编码"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("CategoryFactor", &[
        f("categories", List, Required, "人员类别"),
        f("factor", Rate, Required, "系数"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Schedule", &[
        f("base", Enum(TIER_BASE), Required, "分段口径"),
        f("tiers", Array("Tier"), Required, "分段"),
    ]),
    ("Tier", &[
        f("up_to", Money, Optional, "至(元)"),
        f("rate", Rate, Required, "比例"),
    ]),
    ("RatioRules", &[
        f("rates", MapOf(RATE), Default, "报销比例(按级别)"),
        f("tiered", MapStruct("Schedule"), Default, "分段比例(按级别)"),
        f("adjust", Array("Adjust"), Default, "比例调整"),
        f("floor", MapOf(RATE), Default, "比例下限(按级别)"),
        f("floor_cite", Cite, Optional, "下限出处"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Adjust", &[
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
        f("when", Struct("Condition"), Required, "条件"),
        f("points", Points, Required, "百分点"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Condition", &[
        f("categories", List, Optional, "人员类别"),
        f("levels", List, Optional, "级别"),
        f("age_min", Int, Optional, "最小年龄"),
        f("age_max", Int, Optional, "最大年龄"),
    ]),
    ("Caps", &[
        f("annual_fund", Money, Optional, "年度统筹封顶"),
        f("per_admission", Money, Optional, "每次住院封顶"),
        f("accident_annual", Money, Optional, "意外伤害年度封顶"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("FixedRoute", &[
        f("id", Text, Required, "编号"),
        f("kind", Enum(FIXED_KIND), Required, "类型"),
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
        f("diseases", List, Default, "疾病编码"),
        f("automatic", Bool, Default, "自动适用"),
        f("quota", MapOf(MONEY), Default, "定额(按级别)"),
        f("fund_rate", MapOf(RATE), Default, "基金支付比例(按级别)"),
        f("fund_amount", MapOf(MONEY), Default, "基金支付金额(按级别)"),
        f("hospital_bears_excess", Bool, Default, "超定额由医院承担"),
        f("in_scope_only", Bool, Default, "按政策范围内费用计"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Layer", &[
        f("id", Text, Required, "编号"),
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
        f("pays_into", Enum(PAYS_INTO), Required, "结算科目"),
        f("categories", List, Optional, "适用人员类别"),
        f("min_bill", Money, Optional, "最低费用"),
        f("outpatient", Bool, Default, "含门诊"),
        f("on", Enum(LAYER_BASE), Default, "计算基数"),
        f("opt_in", Bool, Default, "自愿参加"),
        f("threshold", Money, Required, "起付线"),
        f("base", Enum(TIER_BASE), Required, "分段口径"),
        f("tiers", Array("Tier"), Required, "分段"),
        f("annual_cap", Money, Optional, "年度封顶"),
        f("overrides", Array("LayerOverride"), Default, "人群待遇"),
        f("cap_raise", Struct("CapRaise"), Optional, "封顶线激励"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("CapRaise", &[
        f("after_years", Int, Required, "连续参保满几年后"),
        f("per_continuous_year", Money, Required, "每多参保一年提高"),
        f("per_claim_free_year", Money, Required, "每个零报销年度提高"),
        f("max_share", Rate, Optional, "最多提高比例"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("LayerOverride", &[
        f("categories", List, Default, "人员类别"),
        f("diseases", List, Default, "疾病编码"),
        f("threshold", Money, Optional, "起付线"),
        f("tiers", Array("Tier"), Optional, "分段"),
        f("rate_points", Points, Optional, "比例提高百分点"),
        f("annual_cap", Money, Optional, "年度封顶"),
        f("no_cap", Bool, Default, "不设封顶"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Overall", &[
        f("max_share", Struct("MaxShare"), Optional, "各项合计不超过费用的比例"),
        f("full_relief", Array("FullRelief"), Default, "全额救助"),
        f("floor", Array("FloorRatio"), Default, "兜底比例"),
    ]),
    ("MaxShare", &[
        f("rate", Rate, Required, "比例"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("FullRelief", &[
        f("categories", List, Required, "人员类别"),
        f("pays_into", Enum(PAYS_INTO), Required, "结算科目"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("FloorRatio", &[
        f("categories", List, Required, "人员类别"),
        f("min_ratio", Rate, Required, "最低实际报销比例"),
        f("pays_into", Enum(PAYS_INTO), Required, "结算科目"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("OutpatientRoute", &[
        f("id", Text, Required, "编号"),
        f("kind", Enum(OUTPATIENT_KIND), Required, "类型"),
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
        f("diseases", List, Default, "疾病编码"),
        f("rates", MapOf(RATE), Required, "报销比例(按级别)"),
        f("deductible", Money, Optional, "年度起付线"),
        f("per_visit_deductible", MapOf(MONEY), Default, "每次起付线(按级别)"),
        f("by_category", Array("RouteTerms"), Default, "人群待遇"),
        f("per_visit_cap", Money, Optional, "每次封顶"),
        f("annual_cap", Money, Optional, "年度封顶"),
        f("max_prescription_weeks", Int, Optional, "长处方最长周数"),
        f("shares_inpatient_cap", Bool, Default, "与住院共用年度限额"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("CombinedCap", &[
        f("id", Text, Required, "编号"),
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
        f("routes", List, Required, "门诊项目编号"),
        f("annual_cap", Money, Required, "年度合计限额"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("RouteTerms", &[
        f("categories", List, Required, "人员类别"),
        f("rates", MapOf(RATE), Default, "报销比例(按级别)"),
        f("deductible", Money, Optional, "起付线"),
        f("annual_cap", Money, Optional, "年度封顶"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("TypicalMix", &[
        f("by_level", MapStruct("Mix"), Required, "按级别"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Mix", &[
        f("out_of_scope", List, Required, "目录外比例(低/典型/高)"),
        f("preselfpay", List, Required, "先行自付比例(低/典型/高)"),
    ]),
    ("Penalty", &[
        f("ratio_points", Points, Optional, "比例下调百分点"),
        f("ratio", Rate, Optional, "比例改为"),
        f("ratio_factor", Rate, Optional, "比例乘以"),
        f("deductible", Money, Optional, "起付线改为"),
        f("preselfpay", Rate, Optional, "先行自付比例"),
        f("not_reimbursed", Bool, Default, "不予报销"),
    ]),
    ("ReferralRules", &[
        f("primary_first", Struct("Rule"), Optional, "基层首诊"),
        f("upward", Struct("UpwardRule"), Optional, "上转"),
        f("out_of_area", Array("OutOfAreaRule"), Default, "县域外/市外/省外就医"),
        f("exemptions", Struct("Exemptions"), Required, "免于转诊"),
        f("transfer_down", Struct("TransferDown"), Optional, "下转建议"),
    ]),
    ("Rule", &[
        f("penalty", Struct("Penalty"), Required, "未按规定的后果"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("UpwardRule", &[
        f("validity_days", Int, Optional, "转诊单有效天数"),
        f("penalty", Struct("Penalty"), Required, "未按规定的后果"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("OutOfAreaRule", &[
        f("scope", Enum(SCOPE), Required, "区域"),
        f("filing_accepted", Bool, Default, "备案可代替转诊单"),
        f("penalty", Struct("Penalty"), Required, "未按规定的后果"),
        f("by_filing", Array("FilingTerms"), Default, "按备案类型"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("FilingTerms", &[
        f("kinds", EnumList(FILING), Required, "备案类型"),
        f("penalty", Struct("Penalty"), Default, "待遇调整"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Exemptions", &[
        f("emergency", Bool, Default, "急危重症"),
        f("age_at_least", Int, Optional, "年满(岁)"),
        f("age_at_most", Int, Optional, "不满(岁)"),
        f("pregnancy", Bool, Default, "孕产妇"),
        f("severe_disability", Bool, Default, "重度残疾"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("TransferDown", &[
        f("stable_days", Int, Required, "稳定天数"),
        f("tolerance", Rate, Required, "日费用波动"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Catalogue", &[
        f("diseases", Array("Disease"), Required, "病种"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("Disease", &[
        f("code", Text, Required, "编码"),
        f("name_zh", Text, Required, "名称"),
        f("name_en", Text, Required, "英文名称"),
        f("pinyin", Text, Required, "拼音首字母"),
        f("levels", List, Required, "收治级别"),
        f("first_level", Text, Optional, "首诊级别"),
        f("emergency", Bool, Default, "急危重症"),
    ]),
    ("NotEncoded", &[
        f("id", Text, Required, "编号"),
        f("rule", Enum(OMITTED_RULE), Required, "规则类别"),
        f("zh", Text, Required, "说明(中文)"),
        f("en", Text, Required, "说明(英文)"),
        f("effect", Enum(EFFECT), Required, "对估算的影响"),
        f("when", Struct("When"), Default, "适用条件"),
        f("cite", Cite, Required, "出处"),
    ]),
    ("When", &[
        f("setting", Enum(SETTING), Optional, "住院/门诊"),
        f("levels", List, Default, "医疗机构级别"),
        f("scopes", EnumList(SCOPE), Default, "就医范围"),
        f("categories", List, Default, "人员类别"),
        f("above_basic_cap", Bool, Default, "基本统筹封顶后"),
        f("min_bill", Money, Optional, "费用不低于"),
        f("from_admission", Int, Optional, "自第几次住院"),
        f("diseases", List, Default, "病种(ICD-10)"),
        f("ages", Array("AgeRange"), Default, "年龄段"),
    ]),
    ("AgeRange", &[
        f("from", Int, Optional, "起始年龄"),
        f("to", Int, Optional, "截止年龄"),
    ]),
    ("Account", &[
        f("preselfpay", Bool, Default, "可付先行自付"),
        f("self_pay", Bool, Default, "可付自费"),
        f("family", Bool, Default, "家庭共济"),
        f("cite", Cite, Required, "出处"),
    ]),
];

/// The fields of a struct by name (empty for an unknown name).
pub fn fields(name: &str) -> &'static [Field] {
    STRUCTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .unwrap_or(&[])
}

pub fn field(strukt: &str, key: &str) -> Option<&'static Field> {
    fields(strukt).iter().find(|f| f.key == key)
}

/// The citation's own three fields.
pub const CITE: &[Field] = &[
    f("source", Text, Required, "文件"),
    f("clause", Text, Required, "条款"),
    f("illustrative", Bool, Default, "示意"),
];

/// One step of a path: a key or an index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// `inpatient.ratio.rates.county`, `layers[0].tiers[1].up_to` → segments.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut out = vec![];
    for part in path.split('.').filter(|s| !s.is_empty()) {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Seg::Key(name.to_string()));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                out.push(Seg::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    out
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// What the value at `path` is, walking the schema from the policy's root; `None` for a key the
/// schema does not know (an unknown key in an opened file).
pub fn kind_at(path: &str) -> Option<Kind> {
    let mut kind = Struct("Policy");
    for seg in parse_path(path) {
        kind = match (kind, seg) {
            (Struct(s), Seg::Key(k)) => field(s, &k)?.kind,
            (Cite, Seg::Key(k)) => CITE.iter().find(|f| f.key == k)?.kind,
            (Array(s), Seg::Index(_)) => Struct(s),
            (MapOf(k), Seg::Key(_)) => *k,
            (MapStruct(s), Seg::Key(_)) => Struct(s),
            (List | EnumList(_), Seg::Index(_)) => Text,
            _ => return None,
        };
    }
    Some(kind)
}

/// The Chinese label of the value at `path` (its field's label, or the key itself).
pub fn label_at(path: &str) -> String {
    let segs = parse_path(path);
    let Some(Seg::Key(last)) = segs.last() else {
        return String::new();
    };
    let parent: Vec<String> = segs[..segs.len() - 1]
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => format!("[{i}]"),
        })
        .collect();
    let parent = parent.join(".").replace(".[", "[");
    match kind_at(&parent) {
        Some(Struct(s)) => field(s, last).map_or(last.clone(), |f| f.zh.to_string()),
        Some(Cite) => CITE
            .iter()
            .find(|f| f.key == last)
            .map_or(last.clone(), |f| f.zh.to_string()),
        // A table by id: the table's label and the id (`起付线(按级别) · county`).
        Some(MapOf(_) | MapStruct(_)) => format!("{} · {last}", label_at(&parent)),
        _ => last.clone(),
    }
}

/// A new value of this kind, with its required fields filled in: what "add" puts in the tree.
/// `source` is the first source id (a citation needs one).
pub fn skeleton(kind: Kind, source: &str) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    match kind {
        Text | Date => json!(""),
        Money => json!("0"),
        Rate => json!("0%"),
        Points => json!("0"),
        Int => json!(0),
        Bool => json!(false),
        Enum(values) => json!(values[0]),
        List | EnumList(_) | Array(_) => json!([]),
        MapOf(_) | MapStruct(_) => json!({}),
        Cite => json!({ "source": source, "clause": "" }),
        Struct(s) => {
            let mut m = Map::new();
            for fl in fields(s) {
                if fl.need == Required {
                    m.insert(fl.key.to_string(), skeleton(fl.kind, source));
                }
            }
            Value::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key path a shipped policy serializes to, each with its kind.
    fn walk(v: &serde_json::Value, path: &str, seen: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, c) in m {
                    let p = join(path, k);
                    seen.push(p.clone());
                    walk(c, &p, seen);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, c) in items.iter().enumerate() {
                    walk(c, &index(path, i), seen);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_schema_knows_every_key_of_every_shipped_policy() {
        let mut n = 0;
        for (path, text) in yibao_shipped::policies() {
            let doc = yibao_core::policy::load::parse_policy(text, path).unwrap();
            let v = serde_json::to_value(&doc.policy).unwrap();
            let mut seen = vec![];
            walk(&v, "", &mut seen);
            for p in seen {
                assert!(kind_at(&p).is_some(), "{path}: the schema lacks {p}");
                n += 1;
            }
        }
        assert!(n > 1000, "{n}");
        assert_eq!(kind_at("inpatient.deductible.by_level.county"), Some(Money));
        assert_eq!(kind_at("layers[0].tiers[1].rate"), Some(Rate));
        assert_eq!(kind_at("inpatient.caps.anual_fund"), None);
        assert_eq!(label_at("inpatient.deductible.cite.clause"), "条款");
        assert_eq!(label_at("layers[0].threshold"), "起付线");
        assert_eq!(
            label_at("inpatient.deductible.by_level.county"),
            "起付线(按级别) · county"
        );
    }

    #[test]
    fn a_skeleton_of_a_struct_holds_what_serde_requires() {
        let layer = skeleton(Struct("Layer"), "doc1");
        let keys: Vec<_> = layer.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "base",
                "cite",
                "id",
                "name_en",
                "name_zh",
                "pays_into",
                "threshold",
                "tiers"
            ]
        );
        assert_eq!(layer["cite"]["source"], "doc1");
        let v: yibao_core::policy::Layer = serde_json::from_value(layer).unwrap();
        assert_eq!(v.pays_into, yibao_core::policy::PaysInto::HifmiPay);
    }

    #[test]
    fn paths_parse_into_keys_and_indices() {
        assert_eq!(
            parse_path("layers[2].tiers[0].up_to"),
            [
                Seg::Key("layers".into()),
                Seg::Index(2),
                Seg::Key("tiers".into()),
                Seg::Index(0),
                Seg::Key("up_to".into())
            ]
        );
    }
}
