// A small host-app consumer of the package, type-checked with `tsc --noEmit` by
// `cargo xtask pkg test`. The `@ts-expect-error` lines prove the types are not `any`.
import init, {
  checkPathway,
  comparePathways,
  estimate,
  estimateRange,
  listBundledPolicies,
  loadDiagnoses,
  loadPolicy,
  searchDiagnoses,
  searchDiseases,
  suggestTransferDown,
  version,
  type Case,
  type Comparison,
  type DiagnosisHit,
  type DiseaseHit,
  type Estimate,
  type Money,
  type Policy,
  type PolicyHandle,
  type Settlement,
  type TransferSuggestion,
  type Verdict,
  type YibaoError,
} from "../dist/web/yibao.js";

export function isYibaoError(e: unknown): e is YibaoError {
  return e instanceof Error && e.name === "YibaoError";
}

/** What the patient pays for the published 渝北 example, or the reason it cannot be estimated. */
export async function yubeiQuote(): Promise<string> {
  await init();
  const policy: PolicyHandle = loadPolicy("chongqing-yubei/resident-2023");
  const visit: Case = {
    date: "2023-06-01",
    level: "level2",
    patient: { category: "dibao_edge" },
    bill: { total: "52000", in_scope: "50000" },
  };
  try {
    const e: Estimate = estimate(policy, visit);
    const s: Settlement = e.settlement;
    const paid: Money = s.fund_pay_sumamt;
    const second = estimate(policy, visit, e.ytd_after); // the year so far, passed back
    // A 0 % answer is never shown without its reason (null when the funds pay something).
    const why: string | null = e.why_nothing_paid ? e.why_nothing_paid.zh : null;
    const clauses: string[] = e.assumptions.flatMap((a) => a.cites.map((c) => c.clause));
    return `${paid} / ${second.settlement.hifp_pay} / ${e.steps.map((x) => x.cite.clause).join(";")} / ${why ?? ""} / ${clauses.join(";")}`;
  } catch (err) {
    if (isYibaoError(err)) {
      return `${err.code} at ${err.path}: ${err.message_zh} (${err.problems.length} problems)`;
    }
    throw err;
  }
}

export function everything(rules: Policy, indexText: string): string[] {
  const shipped: PolicyHandle[] = listBundledPolicies();
  const own = loadPolicy(rules);
  const range = estimateRange(own, { level: own.levels[0].id, bill: { total: "20000" } });
  const verdict: Verdict = checkPathway(shipped[0], { level: "county", disease: "J18.9" });
  const cmp: Comparison = comparePathways("demo-county/resident-2024", {
    disease: "J18.9",
    expected_cost: "8000",
    patient: { age: 70 },
  });
  const t: TransferSuggestion = suggestTransferDown(shipped[0], {
    level: "county",
    daily_costs: ["900", "880", "870"],
  });
  const hits: DiseaseHit[] = searchDiseases(shipped[0], "fy", 5);
  // The national list, shipped beside the module as diagnoses.idx (pkg/README.md).
  const diagnoses: number = loadDiagnoses(indexText);
  const found: DiagnosisHit[] = searchDiagnoses(shipped[0], "心梗", 5);
  const where = found.map((h) => `${h.code} ${h.name_zh} ${h.listed} ${h.via ?? ""} ${h.disease?.levels.join(",") ?? ""} ${h.primary_group?.code ?? ""}`);
  return [
    version(),
    range.typical.settlement.psn_part_amt,
    verdict.eligibility,
    cmp.options.map((o) => `${o.level_zh}: ${o.patient_typical}`).join(", "),
    t.saving?.saving ?? t.en,
    hits.map((h) => `${h.disease.code} ${h.matched}`).join(" "),
    `${diagnoses}: ${where.join("; ")}`,
  ];
}

export function misuse(policy: PolicyHandle): void {
  // @ts-expect-error a case needs its facility level
  estimate(policy, { bill: { total: "100" } });
  // @ts-expect-error amounts are strings or numbers, not booleans
  estimate(policy, { level: "county", bill: { total: true } });
  // @ts-expect-error results carry money as strings
  const n: number = estimate(policy, { level: "county", bill: {} }).settlement.hifp_pay;
  // @ts-expect-error no such settlement key
  estimate(policy, { level: "county", bill: {} }).settlement.hifp;
  // @ts-expect-error eligibility is a closed set
  const v: Verdict = { eligibility: "maybe", findings: [], advice_zh: [], advice_en: [], penalty: {} };
  void n;
  void v;
}
