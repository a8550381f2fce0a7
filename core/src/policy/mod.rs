//! The policy model: a county's reimbursement rules as plain data.
//!
//! Every parameter group carries a [`Cite`] naming the source document and clause it came from,
//! so every number the engine produces can say where its rule was written down.
//! Policies are read from TOML by [`load`] (strict: unknown keys are errors) and checked by
//! [`validate`] (ratios in range, tiers contiguous, references resolve, every clause cited).

use crate::date::Date;
use crate::error::{Code, Problem, Problems};
use crate::money::{Money, Points, Rate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
// Citation text is shared (not copied) into every step that cites it.
use std::sync::Arc;

#[cfg(feature = "toml")]
pub mod load;
pub mod lookup;
#[cfg(feature = "schema")]
pub mod schema;
pub mod validate;

/// The version of the policy file's format: what `schema/policy.schema.json` is the schema of
/// (its `$id` names it). Raise it when a file that read before no longer reads, or means
/// something else.
pub const FORMAT: u32 = 1;

/// A policy file as loaded: the rules plus the fingerprint of the exact text they came from.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct PolicyDoc {
    pub policy: Policy,
    /// SHA-256 (hex) of the policy file's bytes, quoted on every receipt.
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Policy {
    #[cfg_attr(feature = "schema", schemars(title = "基本信息"))]
    pub meta: Meta,
    #[cfg_attr(feature = "schema", schemars(title = "政策文件"))]
    pub sources: Vec<Source>,
    #[cfg_attr(feature = "schema", schemars(title = "舍入"))]
    pub rounding: Rounding,
    #[cfg_attr(feature = "schema", schemars(title = "医疗机构级别"))]
    pub levels: Vec<Level>,
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    pub categories: Vec<Category>,
    #[cfg_attr(feature = "schema", schemars(title = "先行自付"))]
    #[serde(default)]
    pub bill: Option<BillRules>,
    #[cfg_attr(feature = "schema", schemars(title = "住院"))]
    pub inpatient: Inpatient,
    #[cfg_attr(feature = "schema", schemars(title = "定额病种"))]
    #[serde(default)]
    pub fixed: Vec<FixedRoute>,
    #[cfg_attr(feature = "schema", schemars(title = "大病/救助等"))]
    #[serde(default)]
    pub layers: Vec<Layer>,
    #[cfg_attr(feature = "schema", schemars(title = "总体封顶与兜底"))]
    #[serde(default)]
    pub overall: Overall,
    #[cfg_attr(feature = "schema", schemars(title = "门诊"))]
    #[serde(default)]
    pub outpatient: Vec<OutpatientRoute>,
    #[cfg_attr(feature = "schema", schemars(title = "门诊合计限额"))]
    /// Annual limits shared by several outpatient routes (两病 together 900; Ⅱ类慢特病 several
    /// diseases together 7,000), on top of each route's own limit.
    #[serde(default)]
    pub outpatient_caps: Vec<CombinedCap>,
    #[cfg_attr(feature = "schema", schemars(title = "典型费用构成"))]
    #[serde(default)]
    pub typical_mix: Option<TypicalMix>,
    #[cfg_attr(feature = "schema", schemars(title = "转诊规则"))]
    #[serde(default)]
    pub referral: Option<ReferralRules>,
    #[cfg_attr(feature = "schema", schemars(title = "病种目录"))]
    #[serde(default)]
    pub catalogue: Option<Catalogue>,
    #[cfg_attr(feature = "schema", schemars(title = "个人账户"))]
    /// 个人账户 (employee scheme): what the personal account may pay of the patient's share.
    #[serde(default)]
    pub account: Option<Account>,
    #[cfg_attr(feature = "schema", schemars(title = "未编码的规则"))]
    /// What the file could not encode, and when that matters: every estimate carries the
    /// entries that apply to its case (`Estimate::caveats`).
    #[serde(default)]
    pub not_encoded: Vec<NotEncoded>,
}

/// A rule of the policy that the file does not encode (or a reading it had to choose), as data:
/// what it is, in both languages, which way it moves the estimate, and for which cases it matters.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct NotEncoded {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "规则类别"))]
    pub rule: OmittedRule,
    #[cfg_attr(feature = "schema", schemars(title = "说明(中文)"))]
    /// The plain sentence a resident reads next to the figure.
    pub zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "说明(英文)"))]
    pub en: String,
    #[cfg_attr(feature = "schema", schemars(title = "对估算的影响"))]
    pub effect: Effect,
    #[cfg_attr(feature = "schema", schemars(title = "适用条件"))]
    /// For which cases it matters (every condition given must hold; none: every case).
    #[serde(default)]
    pub when: When,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    /// Where the rule (or the doubt) is written.
    pub cite: Cite,
}

/// The kind of rule left out: `yibao validate` warns when a common one is neither encoded nor
/// listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum OmittedRule {
    /// 职工大额医疗补助 / 大额医疗互助 (`hifob_pay`).
    Hifob,
    /// 居民大病保险 (`hifmi_pay`).
    Hifmi,
    /// 医疗救助 / 倾斜救助 by category (`maf_pay`).
    Maf,
    /// 乙类 and special items' 先行自付.
    Preselfpay,
    /// 异地 / 转外 terms.
    OutOfArea,
    /// 门诊慢特病, 两病 and other outpatient routes.
    Outpatient,
    /// 住院分娩 and other fixed-amount routes.
    Maternity,
    /// Later admissions' 起付线 and other per-admission variants.
    Deductible,
    /// Two readings of the source: the file encodes one, the answer names the doubt.
    Reading,
    /// Anything else.
    #[default]
    Other,
}

impl OmittedRule {
    /// The serde name (`hifob` …), as files and pages write it.
    pub fn as_str(self) -> &'static str {
        match self {
            OmittedRule::Hifob => "hifob",
            OmittedRule::Hifmi => "hifmi",
            OmittedRule::Maf => "maf",
            OmittedRule::Preselfpay => "preselfpay",
            OmittedRule::OutOfArea => "out_of_area",
            OmittedRule::Outpatient => "outpatient",
            OmittedRule::Maternity => "maternity",
            OmittedRule::Deductible => "deductible",
            OmittedRule::Reading => "reading",
            OmittedRule::Other => "other",
        }
    }
}

/// Which way a left-out rule moves the estimate of the patient's share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Effect {
    /// A payer is missing: the real patient share is likely lower.
    Overstates,
    /// A charge or reduction is missing: the real patient share may be higher.
    Understates,
    /// Either way, or not known.
    #[default]
    Unknown,
}

/// The conditions under which a [`NotEncoded`] entry matters; each one given must hold.
#[derive(Clone, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct When {
    #[cfg_attr(feature = "schema", schemars(title = "住院/门诊"))]
    /// `inpatient` or `outpatient`.
    #[serde(default)]
    pub setting: Option<crate::case::Setting>,
    #[cfg_attr(feature = "schema", schemars(title = "医疗机构级别"))]
    /// Only at these levels.
    #[serde(default)]
    pub levels: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "就医范围"))]
    /// Only at levels of these scopes (`national` for 省外).
    #[serde(default)]
    pub scopes: Vec<Scope>,
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    /// Only for these categories.
    #[serde(default)]
    pub categories: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "基本统筹封顶后"))]
    /// Only when the basic fund's annual or per-admission cap bound this estimate.
    #[serde(default)]
    pub above_basic_cap: bool,
    #[cfg_attr(feature = "schema", schemars(title = "费用不低于"))]
    /// Only when the bill is at least this much.
    #[serde(default)]
    pub min_bill: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "自第几次住院"))]
    /// Only from this admission of the year on (2: the second and later admissions).
    #[serde(default)]
    pub from_admission: Option<u32>,
    #[cfg_attr(feature = "schema", schemars(title = "病种(ICD-10)"))]
    /// Only for these ICD-10 codes or prefixes — or when the case names no disease, since the
    /// rule may then be the patient's (the sentence says for whom it holds).
    #[serde(default)]
    pub diseases: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "年龄段"))]
    /// Only for ages in one of these ranges (`[{ from = 70 }, { to = 6 }]`) — or when the
    /// case gives no age.
    #[serde(default)]
    pub ages: Vec<AgeRange>,
}

/// Ages from `from` to `to`, both included; an absent end is open.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct AgeRange {
    #[cfg_attr(feature = "schema", schemars(title = "起始年龄"))]
    #[serde(default)]
    pub from: Option<u32>,
    #[cfg_attr(feature = "schema", schemars(title = "截止年龄"))]
    #[serde(default)]
    pub to: Option<u32>,
}

impl AgeRange {
    pub fn contains(&self, age: u32) -> bool {
        self.from.is_none_or(|f| age >= f) && self.to.is_none_or(|t| age <= t)
    }
}

/// What the personal account (个人账户) may pay of the patient's share after the funds.
/// The part of the share within policy scope is always payable; the rest only when allowed.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Account {
    #[cfg_attr(feature = "schema", schemars(title = "可付先行自付"))]
    /// The account may also pay 先行自付 (乙类 / special items' own share).
    #[serde(default)]
    pub preselfpay: bool,
    #[cfg_attr(feature = "schema", schemars(title = "可付自费"))]
    /// The account may also pay out-of-catalogue and above-price-cap self-pay.
    #[serde(default)]
    pub self_pay: bool,
    #[cfg_attr(feature = "schema", schemars(title = "家庭共济"))]
    /// 家庭共济: a family member's account pays what the patient's own balance does not.
    #[serde(default)]
    pub family: bool,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// Where a rule is written: a source id from `[[sources]]` and the clause inside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Cite {
    #[cfg_attr(feature = "schema", schemars(title = "文件"))]
    pub source: Arc<str>,
    #[cfg_attr(feature = "schema", schemars(title = "条款"))]
    pub clause: Arc<str>,
    #[cfg_attr(feature = "schema", schemars(title = "示意"))]
    /// The value is illustrative (示意): shaped like a real rule but not any county's own text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Meta {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "地区"))]
    pub region_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文地区"))]
    pub region_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "行政区划代码"))]
    /// 行政区划代码, when known.
    #[serde(default)]
    pub region_code: Option<String>,
    #[cfg_attr(feature = "schema", schemars(title = "险种"))]
    pub scheme: Scheme,
    #[cfg_attr(feature = "schema", schemars(title = "起始日期"))]
    pub effective_from: Date,
    #[cfg_attr(feature = "schema", schemars(title = "截止日期"))]
    pub effective_to: Date,
    #[cfg_attr(feature = "schema", schemars(title = "状态"))]
    pub status: Status,
    #[cfg_attr(feature = "schema", schemars(title = "范围"))]
    /// Which part of the benefit the document defines: the basic rules, or only a supplementary
    /// layer such as 大病保险 (which sits beside the basic policy of the same region and period).
    #[serde(default)]
    pub covers: Covers,
    #[cfg_attr(feature = "schema", schemars(title = "备注"))]
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Scheme {
    /// 城乡居民基本医疗保险
    #[default]
    Resident,
    /// 新型农村合作医疗 (the former rural scheme)
    Ncms,
    /// 职工基本医疗保险
    Employee,
}

impl Scheme {
    pub fn name_zh(self) -> &'static str {
        match self {
            Scheme::Resident => "城乡居民医保",
            Scheme::Ncms => "新农合",
            Scheme::Employee => "职工医保",
        }
    }
}

/// Which part of the benefit a policy document defines (`meta.covers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Covers {
    /// The basic rules (起付线, 统筹 ratio, caps …), with any layers they include.
    #[default]
    Basic,
    /// Only a supplementary layer, such as 大病保险, defined by a document of its own.
    Supplement,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Status {
    /// Published by the authority; parameters transcribed from the documents.
    #[default]
    Official,
    /// Illustrative: assembled from report figures, not a real county's rules.
    Example,
    /// Only the parameters that a published worked example states.
    Excerpt,
    /// Real rules quoted by a secondary source (a news page, a summary table), not yet checked
    /// against the official text.
    Secondary,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Source {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "文号"))]
    /// 文号, when the document has one.
    #[serde(default)]
    pub doc_no: Option<Arc<str>>,
    #[cfg_attr(feature = "schema", schemars(title = "标题"))]
    pub title: Arc<str>,
    #[cfg_attr(feature = "schema", schemars(title = "发布机关"))]
    #[serde(default)]
    pub publisher: Option<String>,
    #[cfg_attr(feature = "schema", schemars(title = "网址"))]
    #[serde(default)]
    pub url: Option<Arc<str>>,
    #[cfg_attr(feature = "schema", schemars(title = "发布日期"))]
    #[serde(default)]
    pub published: Option<Date>,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Rounding {
    #[cfg_attr(feature = "schema", schemars(title = "方式"))]
    pub mode: crate::money::RoundMode,
    #[cfg_attr(feature = "schema", schemars(title = "单位"))]
    pub unit: crate::money::RoundUnit,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Scope {
    /// 县域内
    #[default]
    County,
    /// 县域外、市内
    City,
    /// 市外、省内
    Province,
    /// 省外
    National,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Level {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "层级"))]
    /// Position in the care hierarchy: 0 村, 1 乡镇, 2 县, 3 市, 4 省, 5 省外.
    pub rank: u8,
    #[cfg_attr(feature = "schema", schemars(title = "区域"))]
    pub scope: Scope,
    #[cfg_attr(feature = "schema", schemars(title = "一般收治的住院费用"))]
    /// The bill of a stay this level typically treats, where the policy (or a document it
    /// cites) gives one: a comparison flags the level for a bill beyond it and never
    /// recommends it (`referral::compare`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typical_stay: Option<TypicalStay>,
}

/// The upper end of the bill of a stay a level typically treats (e.g. a 乡镇卫生院's 常见病、
/// 多发病 stays), with the document that says so.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct TypicalStay {
    #[cfg_attr(feature = "schema", schemars(title = "住院总费用上限"))]
    /// A stay's total bill (`medfee_sumamt`) up to which the level typically treats; above 0.
    pub up_to: Money,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Category {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
}

/// Class of a line item in the drug/service catalogue.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ItemClass {
    /// 甲类: fully in scope.
    #[default]
    Jia,
    /// 乙类: patient pays a share first (先行自付).
    Yi,
    /// 丙类 / 目录外: patient pays all.
    Bing,
    /// Special items (高值耗材, 特殊检查) with their own 先行自付 share.
    Special,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct BillRules {
    #[cfg_attr(feature = "schema", schemars(title = "先行自付比例(按项目类别)"))]
    /// 先行自付 share by item class (classes not listed: 0).
    #[cfg_attr(feature = "ts", tsify(type = "Partial<Record<ItemClass, Rate>>"))]
    pub preselfpay: BTreeMap<ItemClass, Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Inpatient {
    #[cfg_attr(feature = "schema", schemars(title = "起付线"))]
    pub deductible: Deductible,
    #[cfg_attr(feature = "schema", schemars(title = "报销比例"))]
    pub ratio: RatioRules,
    #[cfg_attr(feature = "schema", schemars(title = "封顶线"))]
    pub caps: Caps,
    #[cfg_attr(feature = "schema", schemars(title = "人群单列待遇"))]
    /// Categories with terms of their own (在职 / 退休, 一老一小 …), used before the tables above.
    #[serde(default)]
    pub tables: Vec<CategoryTable>,
}

/// A population's own inpatient table: what it sets replaces the general table for them; what
/// it leaves out is taken from the general table.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct CategoryTable {
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    pub categories: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "起付线(按级别)"))]
    /// 起付线 by level.
    #[serde(default)]
    pub deductible: BTreeMap<String, Money>,
    #[cfg_attr(feature = "schema", schemars(title = "报销比例(按级别)"))]
    /// Flat ratio by level.
    #[serde(default)]
    pub rates: BTreeMap<String, Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "分段比例(按级别)"))]
    /// 分段 ratio by level.
    #[serde(default)]
    pub tiered: BTreeMap<String, Schedule>,
    #[cfg_attr(feature = "schema", schemars(title = "个人负担系数"))]
    /// The patient's co-pay share (1 − ratio) times this ("退休人员个人负担为在职的60%").
    #[serde(default)]
    pub copay_factor: Option<Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "年度封顶"))]
    /// Annual cap of the basic fund for these categories.
    #[serde(default)]
    pub annual_fund: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Deductible {
    #[cfg_attr(feature = "schema", schemars(title = "起付线(按级别)"))]
    pub by_level: BTreeMap<String, Money>,
    #[cfg_attr(feature = "schema", schemars(title = "按费用比例的起付线"))]
    #[serde(default)]
    pub percent_of_bill: BTreeMap<String, PercentDeductible>,
    #[cfg_attr(feature = "schema", schemars(title = "多次住院"))]
    #[serde(default)]
    pub nth_admission: Vec<NthAdmission>,
    #[cfg_attr(feature = "schema", schemars(title = "人群起付线系数"))]
    #[serde(default)]
    pub by_category: Vec<CategoryFactor>,
    #[cfg_attr(feature = "schema", schemars(title = "上转只补差额"))]
    /// On 上转 within an episode, pay only the difference to the higher level's 起付线.
    #[serde(default)]
    pub upward_difference_only: bool,
    #[cfg_attr(feature = "schema", schemars(title = "下转不再计起付线"))]
    /// After 下转 within an episode, no new 起付线.
    #[serde(default)]
    pub waived_after_downward: bool,
    #[cfg_attr(feature = "schema", schemars(title = "转诊规则出处"))]
    /// Clause for the two transfer rules above, when either is set.
    #[serde(default)]
    pub transfer_cite: Option<Cite>,
    #[cfg_attr(feature = "schema", schemars(title = "一年只计一次"))]
    /// One 起付线 a year, at the highest level used: a later admission pays only what the year's
    /// deductibles have not yet reached (萧山: "按所住最高等级医院标准计算一次").
    #[serde(default)]
    pub once_a_year: Option<OnceAYear>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct OnceAYear {
    #[cfg_attr(feature = "schema", schemars(title = "年度起付线合计上限"))]
    /// The year's deductibles together never exceed this.
    #[serde(default)]
    pub cap: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// 起付线 as a share of the bill, kept between a floor and a ceiling (often for 省外).
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct PercentDeductible {
    #[cfg_attr(feature = "schema", schemars(title = "比例"))]
    pub rate: Rate,
    #[cfg_attr(feature = "schema", schemars(title = "下限"))]
    pub floor: Money,
    #[cfg_attr(feature = "schema", schemars(title = "上限"))]
    pub ceiling: Money,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// From the `from`-th admission of the year on, the 起付线 changes in one of three ways
/// (exactly one is set): times `factor`; set to `amount`; or lowered by `step_down` for each
/// admission from `from` on, never below `min`.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct NthAdmission {
    #[cfg_attr(feature = "schema", schemars(title = "自第几次住院"))]
    pub from: u32,
    #[cfg_attr(feature = "schema", schemars(title = "系数"))]
    #[serde(default)]
    pub factor: Option<Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "金额"))]
    #[serde(default)]
    pub amount: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "按级别金额"))]
    /// A fixed amount by level (天津: 270 / 350 / 500 from the second admission); a level not
    /// listed keeps its first-admission 起付线.
    #[serde(default)]
    pub by_level: BTreeMap<String, Money>,
    #[cfg_attr(feature = "schema", schemars(title = "每次递减"))]
    #[serde(default)]
    pub step_down: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "最低"))]
    /// Floor of a stepwise reduction.
    #[serde(default)]
    pub min: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "年龄段"))]
    /// Only for patients of these ages (南昌: 70 and over, 6 and under, from the fourth
    /// admission); a case without an age does not get the rule. Empty: every age.
    #[serde(default)]
    pub ages: Vec<AgeRange>,
    #[cfg_attr(feature = "schema", schemars(title = "疾病编码"))]
    /// Only for these ICD-10 codes or prefixes (南昌 职工: 精神病 no 起付线 from the first
    /// admission, 恶性肿瘤放化疗 none from the second); a case without a disease does not get
    /// the rule. Empty: every disease. A rule by disease that applies wins over the general
    /// ones; `from` counts every stay of the year (`ytd.admissions`), whatever its disease.
    #[serde(default)]
    pub diseases: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// For these population categories the 起付线 is multiplied by `factor` (0% waives it).
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct CategoryFactor {
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    pub categories: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "系数"))]
    pub factor: Rate,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// How tier bounds are counted. Both conventions occur in published policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TierBase {
    /// Bounds are on the cumulative amount including the threshold (资阳: 8,000–50,000 at 50%).
    #[default]
    Cumulative,
    /// Bounds are on the amount above the threshold.
    AboveThreshold,
}

/// One band of a 分段 schedule; the band starts where the previous one ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Tier {
    #[cfg_attr(feature = "schema", schemars(title = "至(元)"))]
    /// Upper bound of the band; absent on the last, open band.
    #[serde(default)]
    pub up_to: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "比例"))]
    pub rate: Rate,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Schedule {
    #[cfg_attr(feature = "schema", schemars(title = "分段口径"))]
    pub base: TierBase,
    #[cfg_attr(feature = "schema", schemars(title = "分段"))]
    pub tiers: Vec<Tier>,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct RatioRules {
    #[cfg_attr(feature = "schema", schemars(title = "报销比例(按级别)"))]
    /// Flat 统筹 ratio by level.
    #[serde(default)]
    pub rates: BTreeMap<String, Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "分段比例(按级别)"))]
    /// 分段 ratio by level (instead of a flat rate), tiers on the in-scope amount.
    #[serde(default)]
    pub tiered: BTreeMap<String, Schedule>,
    #[cfg_attr(feature = "schema", schemars(title = "比例调整"))]
    #[serde(default)]
    pub adjust: Vec<Adjust>,
    #[cfg_attr(feature = "schema", schemars(title = "比例下限(按级别)"))]
    /// The ratio never falls below this after adjustments and penalties.
    #[serde(default)]
    pub floor: BTreeMap<String, Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "下限出处"))]
    #[serde(default)]
    pub floor_cite: Option<Cite>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// Percentage points added to (or, negative, taken from) the ratio when `when` holds.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Adjust {
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "条件"))]
    pub when: Condition,
    #[cfg_attr(feature = "schema", schemars(title = "百分点"))]
    pub points: Points,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Condition {
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    #[serde(default)]
    pub categories: Option<Vec<String>>,
    #[cfg_attr(feature = "schema", schemars(title = "级别"))]
    #[serde(default)]
    pub levels: Option<Vec<String>>,
    #[cfg_attr(feature = "schema", schemars(title = "最小年龄"))]
    #[serde(default)]
    pub age_min: Option<u32>,
    #[cfg_attr(feature = "schema", schemars(title = "最大年龄"))]
    #[serde(default)]
    pub age_max: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Caps {
    #[cfg_attr(feature = "schema", schemars(title = "年度统筹封顶"))]
    /// Annual cap of the basic fund, counted with the year-to-date payments.
    #[serde(default)]
    pub annual_fund: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "每次住院封顶"))]
    #[serde(default)]
    pub per_admission: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "意外伤害年度封顶"))]
    /// 意外伤害 (no liable third party): annual sub-cap of the fund's payment.
    #[serde(default)]
    pub accident_annual: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FixedKind {
    /// 单病种定额 / 限额
    #[default]
    SingleDisease,
    /// 住院分娩定额
    Childbirth,
    /// 分级诊疗病种定额: designated level, no 起付线, hospital bears cost above the quota.
    GradedQuota,
    /// A fixed subsidy per unit (白内障 per eye).
    PerUnit,
}

/// A fixed-amount route that replaces the general formula when it applies.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct FixedRoute {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "类型"))]
    pub kind: FixedKind,
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "疾病编码"))]
    /// ICD-10 codes or prefixes this route covers.
    #[serde(default)]
    pub diseases: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "自动适用"))]
    /// Applied without being chosen when the disease and level match (分级诊疗病种).
    #[serde(default)]
    pub automatic: bool,
    #[cfg_attr(feature = "schema", schemars(title = "定额(按级别)"))]
    /// 定额 by level.
    #[serde(default)]
    pub quota: BTreeMap<String, Money>,
    #[cfg_attr(feature = "schema", schemars(title = "基金支付比例(按级别)"))]
    /// Fund pays this share of the quota, by level.
    #[serde(default)]
    pub fund_rate: BTreeMap<String, Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "基金支付金额(按级别)"))]
    /// Fund pays this fixed amount (per unit for `per_unit`), by level; `"*"` for every level.
    #[serde(default)]
    pub fund_amount: BTreeMap<String, Money>,
    #[cfg_attr(feature = "schema", schemars(title = "超定额由医院承担"))]
    #[serde(default)]
    pub hospital_bears_excess: bool,
    #[cfg_attr(feature = "schema", schemars(title = "按政策范围内费用计"))]
    /// Without a quota, `fund_rate` applies to the bill's in-scope part (政策范围内), not to the
    /// whole bill (南昌 住院分娩: no 起付线, 100% / 90% of 政策范围内).
    #[serde(default)]
    pub in_scope_only: bool,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// Which settlement field a layer's payment is reported under: `setlinfo`'s payer keys, or
/// the project's own `yb_commercial_pay`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum PaysInto {
    /// 居民大病保险
    #[default]
    HifmiPay,
    /// 职工大额补助
    HifobPay,
    /// 惠民保 and other commercial supplements: paid by the insurer after settlement, outside
    /// the funds' total. Not a `setlinfo` key, so the project's own; `commercial_pay`, its
    /// earlier name, is still read.
    #[serde(rename = "yb_commercial_pay", alias = "commercial_pay")]
    CommercialPay,
    /// 医疗救助
    MafPay,
    /// 其他支付 (倾斜救助, 二次补助, 兜底)
    OthPay,
    /// 公务员医疗补助
    CvlservPay,
    /// 企业补充医疗保险
    HifesPay,
    /// 伤残人员医疗保障
    HifdmPay,
}

impl PaysInto {
    /// Every payer, in the slip's order (the funds', then the commercial supplements).
    pub const ALL: [PaysInto; 8] = [
        PaysInto::CvlservPay,
        PaysInto::HifesPay,
        PaysInto::HifmiPay,
        PaysInto::HifobPay,
        PaysInto::HifdmPay,
        PaysInto::MafPay,
        PaysInto::OthPay,
        PaysInto::CommercialPay,
    ];
    /// The funds after the basic fund, in the slip's order: together with `hifp_pay` they make
    /// `fund_pay_sumamt`.
    pub const FUNDS: [PaysInto; 7] = [
        PaysInto::CvlservPay,
        PaysInto::HifesPay,
        PaysInto::HifmiPay,
        PaysInto::HifobPay,
        PaysInto::HifdmPay,
        PaysInto::MafPay,
        PaysInto::OthPay,
    ];

    /// The settlement field it is reported under (`hifmi_pay` …), as the national platform
    /// names it (`yb_commercial_pay`: the project's own).
    pub fn field(self) -> &'static str {
        match self {
            PaysInto::CvlservPay => "cvlserv_pay",
            PaysInto::HifesPay => "hifes_pay",
            PaysInto::HifmiPay => "hifmi_pay",
            PaysInto::HifobPay => "hifob_pay",
            PaysInto::HifdmPay => "hifdm_pay",
            PaysInto::CommercialPay => "yb_commercial_pay",
            PaysInto::MafPay => "maf_pay",
            PaysInto::OthPay => "oth_pay",
        }
    }
}

/// A layer after the basic fund, computed on what the patient still owes within policy scope.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Layer {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "结算科目"))]
    pub pays_into: PaysInto,
    #[cfg_attr(feature = "schema", schemars(title = "适用人员类别"))]
    /// Who is eligible (absent: everybody).
    #[serde(default)]
    pub categories: Option<Vec<String>>,
    #[cfg_attr(feature = "schema", schemars(title = "最低费用"))]
    /// Only when the bill is at least this much (二次补助 for inpatient cost ≥ 20,000).
    #[serde(default)]
    pub min_bill: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "含门诊"))]
    /// Also applies to outpatient routes.
    #[serde(default)]
    pub outpatient: bool,
    #[cfg_attr(feature = "schema", schemars(title = "计算基数"))]
    /// What the layer pays on: the in-scope amount still owed (default) or the self-pay outside
    /// the catalogue (惠民保's 目录外 part).
    #[serde(default)]
    pub on: LayerBase,
    #[cfg_attr(feature = "schema", schemars(title = "自愿参加"))]
    /// Pays only patients who bought it (惠民保): the case lists it in `supplements`.
    #[serde(default)]
    pub opt_in: bool,
    #[cfg_attr(feature = "schema", schemars(title = "起付线"))]
    pub threshold: Money,
    #[cfg_attr(feature = "schema", schemars(title = "分段口径"))]
    pub base: TierBase,
    #[cfg_attr(feature = "schema", schemars(title = "分段"))]
    pub tiers: Vec<Tier>,
    #[cfg_attr(feature = "schema", schemars(title = "年度封顶"))]
    #[serde(default)]
    pub annual_cap: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "人群待遇"))]
    #[serde(default)]
    pub overrides: Vec<LayerOverride>,
    #[cfg_attr(feature = "schema", schemars(title = "封顶线激励"))]
    /// 连续参保激励 / 零报销激励: the annual cap rises with the years of enrolment and claim-free years.
    #[serde(default)]
    pub cap_raise: Option<CapRaise>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum LayerBase {
    /// The in-scope amount the patient still owes after the earlier payers.
    #[default]
    InScope,
    /// 全自费 and 超限价 amounts, which no fund pays.
    OutOfScope,
    /// The in-scope cost above the point where the basic fund reached its annual or
    /// per-admission cap (职工大额 / 大额医疗互助 in many cities: "统筹基金最高支付限额以上的政策范围内
    /// 费用"), still owed: 0 while the cap does not bind.
    AboveBasicCap,
}

/// 国办发〔2024〕38号: after `after_years` years of continuous enrolment each further year raises
/// the annual cap by `per_continuous_year`; each claim-free year by `per_claim_free_year`;
/// together at most `max_share` of the cap.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct CapRaise {
    #[cfg_attr(feature = "schema", schemars(title = "连续参保满几年后"))]
    pub after_years: u32,
    #[cfg_attr(feature = "schema", schemars(title = "每多参保一年提高"))]
    pub per_continuous_year: Money,
    #[cfg_attr(feature = "schema", schemars(title = "每个零报销年度提高"))]
    pub per_claim_free_year: Money,
    #[cfg_attr(feature = "schema", schemars(title = "最多提高比例"))]
    #[serde(default)]
    pub max_share: Option<Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// Different terms for some categories (困难人群: lower threshold, higher ratio, no cap).
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct LayerOverride {
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    /// Who the terms are for (absent: every category).
    #[serde(default)]
    pub categories: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "疾病编码"))]
    /// ICD-10 codes or prefixes of the listed serious diseases paid on these terms (absent: any).
    #[serde(default)]
    pub diseases: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "起付线"))]
    #[serde(default)]
    pub threshold: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "分段"))]
    #[serde(default)]
    pub tiers: Option<Vec<Tier>>,
    #[cfg_attr(feature = "schema", schemars(title = "比例提高百分点"))]
    #[serde(default)]
    pub rate_points: Option<Points>,
    #[cfg_attr(feature = "schema", schemars(title = "年度封顶"))]
    #[serde(default)]
    pub annual_cap: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "不设封顶"))]
    #[serde(default)]
    pub no_cap: bool,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Overall {
    #[cfg_attr(feature = "schema", schemars(title = "各项合计不超过费用的比例"))]
    /// All payers together never exceed this share of the bill. Here and for `floor`, "the bill"
    /// leaves out a quota's excess the hospital bears (`hosp_part_amt`): neither the funds nor
    /// the patient are charged it, and counting it would let more cost mean less to pay.
    #[serde(default)]
    pub max_share: Option<MaxShare>,
    #[cfg_attr(feature = "schema", schemars(title = "全额救助"))]
    /// These categories pay nothing; the rest is paid into `pays_into` (五保).
    #[serde(default)]
    pub full_relief: Vec<FullRelief>,
    #[cfg_attr(feature = "schema", schemars(title = "兜底比例"))]
    /// The actual reimbursement ratio is topped up to at least `min_ratio` (兜底).
    #[serde(default)]
    pub floor: Vec<FloorRatio>,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct MaxShare {
    #[cfg_attr(feature = "schema", schemars(title = "比例"))]
    pub rate: Rate,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct FullRelief {
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    pub categories: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "结算科目"))]
    pub pays_into: PaysInto,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct FloorRatio {
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    pub categories: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "最低实际报销比例"))]
    pub min_ratio: Rate,
    #[cfg_attr(feature = "schema", schemars(title = "结算科目"))]
    pub pays_into: PaysInto,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum OutpatientKind {
    /// 普通门诊统筹
    #[default]
    General,
    /// 特殊慢性病门诊
    Chronic,
    /// 两病 (高血压、糖尿病) 门诊用药
    TwoDiseases,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct OutpatientRoute {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "类型"))]
    pub kind: OutpatientKind,
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "疾病编码"))]
    /// ICD-10 codes or prefixes (chronic and two-disease routes).
    #[serde(default)]
    pub diseases: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "报销比例(按级别)"))]
    pub rates: BTreeMap<String, Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "年度起付线"))]
    /// Annual deductible of the route.
    #[serde(default)]
    pub deductible: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "每次起付线(按级别)"))]
    /// A deductible for every visit, by level (门诊共济: 30 / 60 / 90).
    #[serde(default)]
    pub per_visit_deductible: BTreeMap<String, Money>,
    #[cfg_attr(feature = "schema", schemars(title = "人群待遇"))]
    /// Terms of the route for some categories (退休: a lower deductible, a higher ratio and cap).
    #[serde(default)]
    pub by_category: Vec<RouteTerms>,
    #[cfg_attr(feature = "schema", schemars(title = "每次封顶"))]
    #[serde(default)]
    pub per_visit_cap: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "年度封顶"))]
    #[serde(default)]
    pub annual_cap: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "长处方最长周数"))]
    /// 长处方: longest prescription allowed, in weeks.
    #[serde(default)]
    pub max_prescription_weeks: Option<u32>,
    #[cfg_attr(feature = "schema", schemars(title = "与住院共用年度限额"))]
    /// The route's payments come out of the basic fund's inpatient annual limit (门诊慢特病 Ⅰ类
    /// "按住院待遇"): what the inpatient stays and this route paid this year counts against it,
    /// and what the route pays counts toward it for the stays that follow.
    #[serde(default)]
    pub shares_inpatient_cap: bool,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// An annual limit several outpatient routes share: what all of them paid this year (the year
/// to date of each) counts against it.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct CombinedCap {
    #[cfg_attr(feature = "schema", schemars(title = "编号"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "门诊项目编号"))]
    /// Ids of the outpatient routes that share it (at least two).
    pub routes: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "年度合计限额"))]
    pub annual_cap: Money,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// A route's own terms for some categories; what is left out comes from the route.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct RouteTerms {
    #[cfg_attr(feature = "schema", schemars(title = "人员类别"))]
    pub categories: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "报销比例(按级别)"))]
    #[serde(default)]
    pub rates: BTreeMap<String, Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "起付线"))]
    #[serde(default)]
    pub deductible: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "年度封顶"))]
    #[serde(default)]
    pub annual_cap: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// Typical shares of a bill outside the catalogue and paid first, used when only a total is known.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct TypicalMix {
    #[cfg_attr(feature = "schema", schemars(title = "按级别"))]
    pub by_level: BTreeMap<String, Mix>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// `[low, typical, high]` shares of the bill.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Mix {
    #[cfg_attr(feature = "schema", schemars(title = "目录外比例(低/典型/高)"))]
    pub out_of_scope: [Rate; 3],
    #[cfg_attr(feature = "schema", schemars(title = "先行自付比例(低/典型/高)"))]
    pub preselfpay: [Rate; 3],
}

/// What breaking a referral rule costs (any combination).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Penalty {
    #[cfg_attr(feature = "schema", schemars(title = "比例下调百分点"))]
    /// Ratio change in points (negative).
    #[serde(default)]
    pub ratio_points: Option<Points>,
    #[cfg_attr(feature = "schema", schemars(title = "比例改为"))]
    /// The ratio is set to this value instead.
    #[serde(default)]
    pub ratio: Option<Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "比例乘以"))]
    /// The ratio is multiplied by this ("按参保地比例的90%"; "下调10%" read as a multiplier).
    #[serde(default)]
    pub ratio_factor: Option<Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "起付线改为"))]
    /// The 起付线 is set to this amount instead.
    #[serde(default)]
    pub deductible: Option<Money>,
    #[cfg_attr(feature = "schema", schemars(title = "先行自付比例"))]
    /// This share of the in-scope cost is paid by the patient first (先行自付).
    #[serde(default)]
    pub preselfpay: Option<Rate>,
    #[cfg_attr(feature = "schema", schemars(title = "不予报销"))]
    /// The fund pays nothing.
    #[serde(default)]
    pub not_reimbursed: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct ReferralRules {
    #[cfg_attr(feature = "schema", schemars(title = "基层首诊"))]
    /// 基层首诊: a disease whose `first_level` is below the chosen level, seen without a 转诊单.
    #[serde(default)]
    pub primary_first: Option<Rule>,
    #[cfg_attr(feature = "schema", schemars(title = "上转"))]
    /// 上转: going above the disease's designated levels without a valid 转诊单.
    #[serde(default)]
    pub upward: Option<UpwardRule>,
    #[cfg_attr(feature = "schema", schemars(title = "县域外/市外/省外就医"))]
    /// 县域外 / 市外 / 省外 care without 转诊 or 备案, by the scope it reaches.
    #[serde(default)]
    pub out_of_area: Vec<OutOfAreaRule>,
    #[cfg_attr(feature = "schema", schemars(title = "免于转诊"))]
    pub exemptions: Exemptions,
    #[cfg_attr(feature = "schema", schemars(title = "下转建议"))]
    /// 下转 suggestion parameters.
    #[serde(default)]
    pub transfer_down: Option<TransferDown>,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Rule {
    #[cfg_attr(feature = "schema", schemars(title = "未按规定的后果"))]
    pub penalty: Penalty,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct UpwardRule {
    #[cfg_attr(feature = "schema", schemars(title = "转诊单有效天数"))]
    /// A 转诊单 is valid this many days after it was issued.
    #[serde(default)]
    pub validity_days: Option<u32>,
    #[cfg_attr(feature = "schema", schemars(title = "未按规定的后果"))]
    pub penalty: Penalty,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct OutOfAreaRule {
    #[cfg_attr(feature = "schema", schemars(title = "区域"))]
    /// The rule applies to levels with this scope.
    pub scope: Scope,
    #[cfg_attr(feature = "schema", schemars(title = "备案可代替转诊单"))]
    /// 备案 (filing) is accepted instead of a 转诊单.
    #[serde(default)]
    pub filing_accepted: bool,
    #[cfg_attr(feature = "schema", schemars(title = "未按规定的后果"))]
    pub penalty: Penalty,
    #[cfg_attr(feature = "schema", schemars(title = "按备案类型"))]
    /// Terms by kind of 备案, used instead of `penalty` when the case's kind is listed.
    #[serde(default)]
    pub by_filing: Vec<FilingTerms>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

/// The kind of 异地就医备案 (or its absence) a patient treated outside the pooling area has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FilingKind {
    /// 长期居住 / 异地安置 / 常驻异地工作
    LongTerm,
    /// 临时外出就医 (other temporary stays)
    Temporary,
    /// 转诊转院
    Referral,
    /// 急诊抢救
    Emergency,
    /// 未备案
    #[default]
    Unfiled,
}

impl FilingKind {
    pub const ALL: [FilingKind; 5] = [
        FilingKind::LongTerm,
        FilingKind::Temporary,
        FilingKind::Referral,
        FilingKind::Emergency,
        FilingKind::Unfiled,
    ];
    /// The serialized name (`long_term` …), as forms and links carry it.
    pub fn code(self) -> &'static str {
        match self {
            FilingKind::LongTerm => "long_term",
            FilingKind::Temporary => "temporary",
            FilingKind::Referral => "referral",
            FilingKind::Emergency => "emergency",
            FilingKind::Unfiled => "unfiled",
        }
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            FilingKind::LongTerm => "长期居住备案",
            FilingKind::Temporary => "临时外出备案",
            FilingKind::Referral => "转诊备案",
            FilingKind::Emergency => "急诊抢救",
            FilingKind::Unfiled => "未备案",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            FilingKind::LongTerm => "long-term residence filing",
            FilingKind::Temporary => "temporary stay filing",
            FilingKind::Referral => "referral filing",
            FilingKind::Emergency => "emergency",
            FilingKind::Unfiled => "no filing",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct FilingTerms {
    #[cfg_attr(feature = "schema", schemars(title = "备案类型"))]
    pub kinds: Vec<FilingKind>,
    #[cfg_attr(feature = "schema", schemars(title = "待遇调整"))]
    /// What this kind costs (empty: treated as at home).
    #[serde(default)]
    pub penalty: Penalty,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Exemptions {
    #[cfg_attr(feature = "schema", schemars(title = "急危重症"))]
    /// 急危重症
    #[serde(default)]
    pub emergency: bool,
    #[cfg_attr(feature = "schema", schemars(title = "年满(岁)"))]
    /// Age at or above which rules do not apply (e.g. 65).
    #[serde(default)]
    pub age_at_least: Option<u32>,
    #[cfg_attr(feature = "schema", schemars(title = "不满(岁)"))]
    /// Age at or below which rules do not apply (e.g. 6).
    #[serde(default)]
    pub age_at_most: Option<u32>,
    #[cfg_attr(feature = "schema", schemars(title = "孕产妇"))]
    #[serde(default)]
    pub pregnancy: bool,
    #[cfg_attr(feature = "schema", schemars(title = "重度残疾"))]
    #[serde(default)]
    pub severe_disability: bool,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct TransferDown {
    #[cfg_attr(feature = "schema", schemars(title = "稳定天数"))]
    /// Number of consecutive days the daily cost must be stable.
    pub stable_days: u32,
    #[cfg_attr(feature = "schema", schemars(title = "日费用波动"))]
    /// Allowed relative change day to day (e.g. 10%).
    pub tolerance: Rate,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Catalogue {
    #[cfg_attr(feature = "schema", schemars(title = "病种"))]
    pub diseases: Vec<Disease>,
    #[cfg_attr(feature = "schema", schemars(title = "出处"))]
    pub cite: Cite,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = &mut schema::table::<Self>)
)]
pub struct Disease {
    #[cfg_attr(feature = "schema", schemars(title = "编码"))]
    /// ICD-10 code or prefix (`J18` covers `J18.0`–`J18.9`).
    pub code: String,
    #[cfg_attr(feature = "schema", schemars(title = "名称"))]
    pub name_zh: String,
    #[cfg_attr(feature = "schema", schemars(title = "英文名称"))]
    pub name_en: String,
    #[cfg_attr(feature = "schema", schemars(title = "拼音首字母"))]
    /// 拼音首字母 of the Chinese name, for type-ahead (`fy` for 肺炎).
    pub pinyin: String,
    #[cfg_attr(feature = "schema", schemars(title = "收治级别"))]
    /// Levels that treat it (the township "50+N" and county "250+N" lists).
    pub levels: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(title = "首诊级别"))]
    /// 基层首诊: the level where it must be seen first, when the policy requires it.
    #[serde(default)]
    pub first_level: Option<String>,
    #[cfg_attr(feature = "schema", schemars(title = "急危重症"))]
    /// 急危重症
    #[serde(default)]
    pub emergency: bool,
}

impl Policy {
    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
    /// The level by id, or the problem (at `path`) that names the levels this policy has.
    pub fn level_or_problem(&self, id: &str, path: &str) -> Result<&Level, Problems> {
        self.level(id).ok_or_else(|| {
            let known: Vec<_> = self.levels.iter().map(|l| l.id.as_str()).collect();
            Problem::new(
                Code::UnknownLevel,
                path,
                format!(
                    "未知的医疗机构级别 \"{id}\";本政策的级别有:{}",
                    known.join("、")
                ),
                format!(
                    "unknown facility level \"{id}\"; this policy has: {}",
                    known.join(", ")
                ),
            )
            .into()
        })
    }
    /// The category by id, or the problem (at `path`) that names the categories this policy has.
    pub fn category_or_problem(&self, id: &str, path: &str) -> Result<&Category, Problems> {
        self.category(id).ok_or_else(|| {
            let known: Vec<_> = self.categories.iter().map(|c| c.id.as_str()).collect();
            Problem::new(
                Code::UnknownCategory,
                path,
                format!(
                    "未知的人员类别 \"{id}\";本政策的类别有:{}",
                    known.join("、")
                ),
                format!(
                    "unknown patient category \"{id}\"; this policy has: {}",
                    known.join(", ")
                ),
            )
            .into()
        })
    }
    /// Whether the policy sets an inpatient ratio (flat or tiered) at this level.
    pub fn has_inpatient(&self, level: &str) -> bool {
        let r = &self.inpatient.ratio;
        r.rates.contains_key(level) || r.tiered.contains_key(level)
    }
    /// Whether an estimate under this policy can ever put money in a settlement field: a
    /// layer's field only when a layer or a floor pays into it, the account's only with an
    /// `[account]`. A screen leaves out the rows that would always read 0.
    pub fn fills(&self, field: &str) -> bool {
        let paid_into = |into: PaysInto| {
            self.layers.iter().any(|l| l.pays_into == into)
                || self.overall.floor.iter().any(|f| f.pays_into == into)
                || self.overall.full_relief.iter().any(|f| f.pays_into == into)
        };
        if let Some(into) = PaysInto::ALL.into_iter().find(|p| p.field() == field) {
            return paid_into(into);
        }
        match field {
            "hosp_part_amt" => self.fixed.iter().any(|f| f.hospital_bears_excess),
            "acct_pay" | "psn_cash_pay" | "balc" => self.account.is_some(),
            "acct_mulaid_pay" => self.account.as_ref().is_some_and(|a| a.family),
            _ => true,
        }
    }

    /// Whether the basic fund has an annual or per-admission cap (a category table's own annual
    /// cap included): what `above_basic_cap` conditions and layers need to ever apply.
    pub fn has_basic_cap(&self) -> bool {
        self.has_annual_cap() || self.inpatient.caps.per_admission.is_some()
    }

    /// Whether the basic fund has an annual cap, general or a category table's own: what an
    /// outpatient route sharing it (`shares_inpatient_cap`) needs.
    pub fn has_annual_cap(&self) -> bool {
        self.inpatient.caps.annual_fund.is_some()
            || self
                .inpatient
                .tables
                .iter()
                .any(|t| t.annual_fund.is_some())
    }

    /// The facility levels from the lowest rank up; equal ranks keep the file's order.
    pub fn levels_by_rank(&self) -> Vec<&Level> {
        let mut v: Vec<&Level> = self.levels.iter().collect();
        v.sort_by_key(|l| l.rank);
        v
    }
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
    /// The catalogue entry with the longest code that prefixes `icd` (exact code wins over prefix).
    pub fn disease(&self, icd: &str) -> Option<&Disease> {
        self.catalogue
            .as_ref()?
            .diseases
            .iter()
            .filter(|d| icd_matches(&d.code, icd))
            .max_by_key(|d| d.code.len())
    }
}

/// Whether a catalogue code (exact or prefix) covers a diagnosis code: `J18` covers `J18.9`,
/// `K80.2` covers `K80.20`, but `J1` does not cover `J18` unless written as a one-letter chapter (`C`).
pub fn icd_matches(pattern: &str, code: &str) -> bool {
    let (p, c) = (
        pattern.as_bytes().trim_ascii(),
        code.as_bytes().trim_ascii(),
    );
    if c.len() < p.len() || !c[..p.len()].eq_ignore_ascii_case(p) {
        return false;
    }
    let rest = &c[p.len()..];
    rest.is_empty()
        || p.len() == 1
        || p.len() == 3
        || p.last() == Some(&b'.')
        || rest[0].is_ascii_digit()
}

/// SHA-256 of `bytes` in lower-case hex: the fingerprint of a policy's text that receipts quote.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// Letter, two digits, optional `.` and up to seven more characters (A00–Z99; `J18.9`, and the
/// 医保版 2.0 extension codes a bill carries, `I10.x00x002`), optionally followed by the
/// asterisk code of a dagger–asterisk pair (`E14.500x011+I79.2*`).
pub fn looks_like_icd10(code: &str) -> bool {
    fn one(c: &[u8], max: usize) -> bool {
        c.len() >= 3
            && c[0].is_ascii_alphabetic()
            && c[1].is_ascii_digit()
            && c[2].is_ascii_digit()
            && (c.len() == 3
                || (c[3] == b'.'
                    && c.len() <= 4 + max
                    && c[4..].iter().all(|b| b.is_ascii_alphanumeric())))
    }
    let c = code.trim().as_bytes();
    match c.iter().position(|&b| b == b'+') {
        None => one(c, 7),
        Some(i) => one(&c[..i], 7) && one(c[i + 1..].strip_suffix(b"*").unwrap_or(&c[i + 1..]), 4),
    }
}

#[cfg(test)]
mod tests {
    use super::OmittedRule;

    /// `as_str` is the serde name: files, pages and warnings write the same word.
    #[test]
    fn omitted_rule_names_are_the_serde_names() {
        for r in [
            OmittedRule::Hifob,
            OmittedRule::Hifmi,
            OmittedRule::Maf,
            OmittedRule::Preselfpay,
            OmittedRule::OutOfArea,
            OmittedRule::Outpatient,
            OmittedRule::Maternity,
            OmittedRule::Deductible,
            OmittedRule::Reading,
            OmittedRule::Other,
        ] {
            let v = serde_json::to_value(r).unwrap();
            assert_eq!(v.as_str(), Some(r.as_str()));
        }
    }
}
