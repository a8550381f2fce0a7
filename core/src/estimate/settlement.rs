//! The reported amounts under the national settlement interface's `setlinfo` keys (interfaces
//! 2206/2207 and 2303/2304 of 国家医疗保障信息平台), declared once: one table below, one row a
//! field (its key, the interface's Chinese meaning, English, a short label for tables, whether a
//! replay sums it), from which one macro makes the [`Settlement`] struct, the field enum [`Key`],
//! the field list [`FIELDS`] and the accessors. Every other list of settlement fields (the
//! compiled path's slip, a replay's totals and buckets, the labels of the CLI, the widget, the
//! office and the Python package) is derived from these.
//!
//! Every key is either `setlinfo`'s own, with the interface's meaning and type (amounts 18,2;
//! `pool_prop_selfpay` a ratio, 5,4), or the project's own, prefixed [`OWN_PREFIX`] (`yb_`): an
//! amount the interface has no key for. `tests/fixtures/setlinfo.tsv` holds the interface's
//! list; tests/tests/setlinfo.rs keeps the two equal.

use crate::money::{Money, Ratio};
use crate::policy::PaysInto;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Index, IndexMut};

/// The prefix of every settlement key that is not `setlinfo`'s.
pub const OWN_PREFIX: &str = "yb_";

/// One settlement field: its key, and its meaning in Chinese (the interface's wording for the
/// national keys) and in English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub id: Key,
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// The label of a table row (`基本统筹`, `basic fund`): the CLI's replay table, the office's
    /// figures and totals.
    pub short_zh: &'static str,
    pub short_en: &'static str,
    /// The decimals the slip writes: 2 for an amount (数值型 18,2), 4 for a ratio (5,4).
    pub places: u32,
    /// Whether a replay's totals sum it ([`crate::replay::Totals`], [`Key::SUMMED`]).
    pub summed: bool,
}

impl Field {
    /// Whether the key is `setlinfo`'s (not one of the project's own `yb_` keys).
    pub fn national(&self) -> bool {
        !self.key.starts_with(OWN_PREFIX)
    }
    /// The field of a key.
    pub fn of(key: &str) -> Option<&'static Field> {
        FIELDS.iter().find(|f| f.key == key)
    }
}

impl Key {
    /// The field's key, label and type.
    pub fn field(self) -> &'static Field {
        &FIELDS[self as usize]
    }
    /// The `setlinfo` (or `yb_`) key: `hifp_pay`.
    pub fn as_str(self) -> &'static str {
        self.field().key
    }
    /// The field of a key.
    pub fn of(key: &str) -> Option<Key> {
        Field::of(key).map(|f| f.id)
    }
    /// The fields a replay sums, in slip order (those marked so in the table).
    pub const SUMMED: [Key; SUMMED_COUNT] = summed();
}

/// How many fields a replay sums.
pub const SUMMED_COUNT: usize = {
    let (mut i, mut n) = (0, 0);
    while i < COUNT {
        if FIELDS[i].summed {
            n += 1;
        }
        i += 1;
    }
    n
};

const fn summed() -> [Key; SUMMED_COUNT] {
    let mut out = [Key::ALL[0]; SUMMED_COUNT];
    let (mut i, mut n) = (0, 0);
    while i < COUNT {
        if FIELDS[i].summed {
            out[n] = FIELDS[i].id;
            n += 1;
        }
        i += 1;
    }
    out
}

/// One value per settlement field, indexed by [`Key`] (the compiled path's fen, a replay's sums).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByKey<T>(pub [T; COUNT]);

impl<T> Index<Key> for ByKey<T> {
    type Output = T;
    fn index(&self, k: Key) -> &T {
        &self.0[k as usize]
    }
}

impl<T> IndexMut<Key> for ByKey<T> {
    fn index_mut(&mut self, k: Key) -> &mut T {
        &mut self.0[k as usize]
    }
}

/// One figure of a settlement: an amount (two decimals on the slip) or a ratio (four).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    Amount(Money),
    Ratio(Ratio),
}

impl Figure {
    pub fn value(self) -> Decimal {
        match self {
            Figure::Amount(m) => m.0,
            Figure::Ratio(r) => r.0,
        }
    }
    /// The decimals the slip writes: 2 for an amount (to the fen), 4 for a ratio.
    pub fn places(self) -> u32 {
        match self {
            Figure::Amount(_) => 2,
            Figure::Ratio(_) => 4,
        }
    }
    /// As the slip writes it: "34790.00", "0.7000".
    pub fn slip(self) -> String {
        match self {
            Figure::Amount(m) => m.yuan(),
            Figure::Ratio(r) => r.to_string(),
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Amount(m) => m.fmt(f),
            Figure::Ratio(r) => r.fmt(f),
        }
    }
}

/// A field's value as a [`Figure`] (`None`: absent), and its decimals on the slip.
trait AsFigure {
    const PLACES: u32 = 2;
    fn figure(&self) -> Option<Figure>;
    /// Take a plain amount; only a `Money` field does ([`Settlement::set_amount`]).
    fn set_amount(&mut self, _: Money) {}
}
impl AsFigure for Money {
    fn figure(&self) -> Option<Figure> {
        Some(Figure::Amount(*self))
    }
    fn set_amount(&mut self, m: Money) {
        *self = m;
    }
}
impl AsFigure for Ratio {
    const PLACES: u32 = 4;
    fn figure(&self) -> Option<Figure> {
        Some(Figure::Ratio(*self))
    }
}
impl AsFigure for Option<Money> {
    fn figure(&self) -> Option<Figure> {
        self.map(Figure::Amount)
    }
}

macro_rules! settlement {
    ($(
        $(#[$attr:meta])* $id:ident $key:ident : $ty:ty => $zh:literal, $en:literal;
        $summed:literal, $short_zh:literal, $short_en:literal;
    )*) => {
        /// The reported amounts, under the national settlement interface's `setlinfo` keys, in
        /// the interface's order; then the project's own (`yb_`).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(
            feature = "ts",
            derive(tsify::Tsify),
            tsify(hashmap_as_object, missing_as_null)
        )]
        pub struct Settlement {
            $( $(#[$attr])* pub $key: $ty, )*
        }

        /// A settlement field, in slip order (`Key::ALL`); its key, labels and type are its
        /// [`Field`] ([`Key::field`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Key {
            $( $id, )*
        }

        impl Key {
            /// Every field, in slip order.
            pub const ALL: [Key; COUNT] = [$( Key::$id, )*];
        }

        /// How many settlement fields there are.
        pub const COUNT: usize = [$( stringify!($key), )*].len();

        /// Every settlement field, in slip order, with its labels (for tables, the reconciling
        /// of a slip and tests).
        pub const FIELDS: &[Field] = &[
            $( Field {
                id: Key::$id,
                key: stringify!($key),
                zh: $zh,
                en: $en,
                short_zh: $short_zh,
                short_en: $short_en,
                places: <$ty as AsFigure>::PLACES,
                summed: $summed,
            }, )*
        ];

        impl Settlement {
            /// The figure of a field; `None` for a figure this estimate does not have (`balc`).
            pub fn figure(&self, key: Key) -> Option<Figure> {
                match key {
                    $( Key::$id => self.$key.figure(), )*
                }
            }

            /// Set a plain amount (the compiled path's slip); a field that is not one (the
            /// ratio `pool_prop_selfpay`, the optional `balc`) is left as it is.
            pub fn set_amount(&mut self, key: Key, amount: Money) {
                match key {
                    $( Key::$id => self.$key.set_amount(amount), )*
                }
            }
        }
    };
}

settlement! {
    MedfeeSumamt medfee_sumamt: Money => "医疗费总额", "total bill"; true, "医疗费总额", "total bills";
    FulamtOwnpayAmt fulamt_ownpay_amt: Money => "全自费金额", "fully self-paid (outside the catalogue)"; false, "全自费", "fully self-paid";
    OverlmtSelfpay overlmt_selfpay: Money => "超限价自费费用", "above the price cap"; false, "超限价自费", "above the price cap";
    PreselfpayAmt preselfpay_amt: Money => "先行自付金额", "paid first by the patient (先行自付)"; false, "先行自付", "paid first";
    InscpScpAmt inscp_scp_amt: Money => "符合政策范围金额", "within policy scope"; true, "政策范围内", "in scope";
    ActPayDedc act_pay_dedc: Money => "实际支付起付线", "deductible paid"; false, "起付线", "deductible";
    HifpPay hifp_pay: Money => "基本医疗保险统筹基金支出", "basic medical insurance pooled fund"; true, "基本统筹", "basic fund";
    /// 基本医疗保险统筹基金支付比例: the basic fund's ratio as applied, a ratio (5,4), not an
    /// amount: `hifp_pay ÷ (inscp_scp_amt − act_pay_dedc − hosp_part_amt)` on the reported
    /// amounts, at most 1, to four decimals (四舍五入); 0 when nothing above the deductible
    /// entered the fund. (Equivalently `hifp_pay ÷ (hifp_pay + yb_pool_selfpay_amt)`.)
    PoolPropSelfpay pool_prop_selfpay: Ratio => "基本医疗保险统筹基金支付比例", "basic fund's payment ratio"; false, "统筹支付比例", "basic fund ratio";
    CvlservPay cvlserv_pay: Money => "公务员医疗补助资金支出", "civil servants' medical subsidy"; true, "公务员补助", "civil servants";
    HifesPay hifes_pay: Money => "企业补充医疗保险基金支出", "enterprise supplementary medical insurance"; true, "企业补充", "enterprise";
    HifmiPay hifmi_pay: Money => "居民大病保险资金支出", "residents' critical-illness insurance"; true, "大病保险", "critical illness";
    HifobPay hifob_pay: Money => "职工大额医疗费用补助基金支出", "employees' large-expense subsidy"; true, "职工大额", "large-cost";
    HifdmPay hifdm_pay: Money => "伤残人员医疗保障基金支出", "disabled persons' medical security fund"; true, "伤残人员", "disabled persons";
    MafPay maf_pay: Money => "医疗救助基金支出", "medical assistance"; true, "医疗救助", "assistance";
    OthPay oth_pay: Money => "其他支出", "other payments"; true, "其他支付", "other";
    FundPaySumamt fund_pay_sumamt: Money => "基金支付总额", "funds' total"; true, "基金支付合计", "funds in all";
    PsnPartAmt psn_part_amt: Money => "个人负担总金额", "patient's share"; true, "个人负担", "patients pay";
    /// 个人账户支出: the personal account's part of `psn_part_amt`.
    AcctPay acct_pay: Money => "个人账户支出", "personal account"; false, "个人账户", "account";
    /// 个人现金支出: what is left of `psn_part_amt` for the patient to pay in cash.
    PsnCashPay psn_cash_pay: Money => "个人现金支出", "paid in cash"; false, "现金支付", "cash";
    HospPartAmt hosp_part_amt: Money => "医院负担金额", "borne by the hospital"; true, "医院负担", "hospitals";
    /// 个人账户共济支付金额: a family member's account (家庭共济).
    AcctMulaidPay acct_mulaid_pay: Money => "个人账户共济支付金额", "family member's account (家庭共济)"; false, "家庭共济", "family account";
    /// 本次结算后账户余额: the personal account's balance after this settlement, only when the
    /// case states the balance (`account.balance`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    Balc balc: Option<Money> => "本次结算后账户余额", "account balance after this settlement"; false, "账户余额", "account balance";
    /// The project's own: 统筹内个人自付, the in-scope part neither the deductible, the basic
    /// fund nor the hospital covers (`inscp_scp_amt − act_pay_dedc − hifp_pay −
    /// hosp_part_amt`, never below 0); `setlinfo` has no key for this amount.
    YbPoolSelfpayAmt yb_pool_selfpay_amt: Money => "统筹内个人自付(本项目)", "patient's share within the pooled part (yibao's)"; false, "统筹内自付", "pooled self-pay";
    /// The project's own: 惠民保 and other commercial supplements, claimed after settlement,
    /// not part of the slip's funds; the patient's final cost is `psn_part_amt` −
    /// `yb_commercial_pay`.
    YbCommercialPay yb_commercial_pay: Money => "惠民保等商业补充(本项目)", "commercial supplements such as 惠民保 (yibao's)"; true, "惠民保等", "commercial";
}

impl Settlement {
    /// The figure under `key`; `None` for a key that is not a settlement field (see
    /// [`Field::of`]) or a figure this estimate does not have (`balc`).
    pub fn get(&self, key: &str) -> Option<Figure> {
        self.figure(Key::of(key)?)
    }

    /// A plain amount's value (zero for the ratio and an absent `balc`).
    pub fn amount(&self, key: Key) -> Money {
        match self.figure(key) {
            Some(Figure::Amount(m)) => m,
            _ => Money::ZERO,
        }
    }

    /// What a layer's payer was reported under (`hifmi_pay` …): a match, not a lookup by name,
    /// as the year-to-date update runs on every estimate.
    pub fn paid_into(&self, into: PaysInto) -> Money {
        *match into {
            PaysInto::CvlservPay => &self.cvlserv_pay,
            PaysInto::HifesPay => &self.hifes_pay,
            PaysInto::HifmiPay => &self.hifmi_pay,
            PaysInto::HifobPay => &self.hifob_pay,
            PaysInto::HifdmPay => &self.hifdm_pay,
            PaysInto::MafPay => &self.maf_pay,
            PaysInto::OthPay => &self.oth_pay,
            PaysInto::CommercialPay => &self.yb_commercial_pay,
        }
    }

    /// The field a payer is reported under, to write.
    pub(crate) fn paid_into_mut(&mut self, into: PaysInto) -> &mut Money {
        match into {
            PaysInto::CvlservPay => &mut self.cvlserv_pay,
            PaysInto::HifesPay => &mut self.hifes_pay,
            PaysInto::HifmiPay => &mut self.hifmi_pay,
            PaysInto::HifobPay => &mut self.hifob_pay,
            PaysInto::HifdmPay => &mut self.hifdm_pay,
            PaysInto::MafPay => &mut self.maf_pay,
            PaysInto::OthPay => &mut self.oth_pay,
            PaysInto::CommercialPay => &mut self.yb_commercial_pay,
        }
    }

    /// The basic fund's figures that follow from the reported amounts (both the general and the
    /// compiled path call this): `yb_pool_selfpay_amt` and the ratio `pool_prop_selfpay`.
    pub(crate) fn pool(&mut self) {
        self.yb_pool_selfpay_amt = self
            .inscp_scp_amt
            .sat_sub(self.act_pay_dedc + self.hifp_pay + self.hosp_part_amt);
        self.pool_prop_selfpay = Ratio::of(self.hifp_pay, self.hifp_pay + self.yb_pool_selfpay_amt);
    }
}

impl PaysInto {
    /// The settlement field a payer is reported under.
    pub fn key(self) -> Key {
        match self {
            PaysInto::CvlservPay => Key::CvlservPay,
            PaysInto::HifesPay => Key::HifesPay,
            PaysInto::HifmiPay => Key::HifmiPay,
            PaysInto::HifobPay => Key::HifobPay,
            PaysInto::HifdmPay => Key::HifdmPay,
            PaysInto::MafPay => Key::MafPay,
            PaysInto::OthPay => Key::OthPay,
            PaysInto::CommercialPay => Key::YbCommercialPay,
        }
    }
}
