// The package in Node, as pkg/README.md documents it for a server-side or worker host:
// `initSync({ module: bytes })`, then the same API. Run by `cargo xtask pkg test`.
import { execFileSync } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import * as badInputs from "../bad-inputs.mjs";
import { check } from "../harness.mjs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "../../../pkg/dist/web");
const yibao = await import(pathToFileURL(join(pkg, "yibao.js")).href);
yibao.initSync({ module: await readFile(join(pkg, "yibao_bg.wasm")) });


// The published 渝北 example (policies/chongqing-yubei/resident-2023.cases.toml).
const e = yibao.estimate("chongqing-yubei/resident-2023", {
  date: "2023-06-01",
  level: "level2",
  patient: { category: "dibao_edge" },
  bill: { total: "52000", in_scope: "50000" },
});
const s = e.settlement;
check("渝北 example: basic fund 34790", s.hifp_pay === "34790", JSON.stringify(s));
check("渝北 example: all funds 46374.8", s.fund_pay_sumamt === "46374.8", JSON.stringify(s));
check("渝北 example: patient pays 5625.2", s.psn_part_amt === "5625.2", JSON.stringify(s));
check("every step cites its clause", e.steps.every((st) => st.cite && st.cite.clause && st.zh && st.en));
// What the estimate leaves out travels with the figure: the 重庆 retiree's 320,000 stay (issue 27)
// carries the policy's own 大额 entry, word for word, and a 10,000 stay does not.
const cqCase = (total, inScope) => ({
  date: "2025-06-01", level: "level3", patient: { category: "retired", age: 70 },
  bill: { total, in_scope: inScope },
});
const cq = yibao.estimate("chongqing/employee-2024", cqCase("320000", "300000"));
const hifob = (cq.caveats?.not_encoded || []).find((o) => o.rule === "hifob");
check("重庆 retiree: the package's result says 大额 is not included", cq.settlement.hifob_pay === "0" && hifob &&
  /大额/.test(hifob.zh) && /大额|large/i.test(hifob.en) && hifob.effect === "overstates" && hifob.cite?.clause,
  JSON.stringify(cq.caveats));
check("重庆 retiree: the evidence grade comes with it", cq.caveats.evidence.status === "secondary" && cq.caveats.evidence.zh.length > 0,
  JSON.stringify(cq.caveats.evidence));
const cqSmall = yibao.estimate("chongqing/employee-2024", cqCase("10000", "10000"));
check("重庆: a 10,000 stay does not carry the 大额 entry", !(cqSmall.caveats.not_encoded || []).some((o) => o.rule === "hifob"),
  JSON.stringify(cqSmall.caveats));
// A blank age a rule reads is answered in the patient's favour, and the result says so (issue 28):
// the demo county's pneumonia stay at the county hospital without a slip, 65+ exempt.
const blankCase = (age) => ({ date: "2025-03-10", level: "county", disease: "J18.9", patient: age ? { age } : {}, bill: { total: "30000" } });
const blank = yibao.estimate("demo-county/resident-2024", blankCase());
const [old, young] = [72, 40].map((a) => yibao.estimate("demo-county/resident-2024", blankCase(a)).settlement.psn_part_amt);
const said = blank.assumptions?.[0];
check("a blank age: the favourable figure, with the assumption and the other outcome", blank.settlement.psn_part_amt === old &&
  said?.field === "patient.age" && said.others?.[0]?.psn_part_amt === young && /未填年龄/.test(said.zh) && old !== young,
  JSON.stringify(blank.assumptions));
// The policy files in the repository (not their cases, not the demo's example inputs), each listed once.
const files = (await readdir(join(dirname(fileURLToPath(import.meta.url)), "../../../policies"), { recursive: true }))
  .filter((f) => f.endsWith(".toml") && !f.endsWith(".cases.toml") && !f.includes("examples"));
const listed = yibao.listBundledPolicies();
check("all shipped policies listed", listed.length === files.length && files.length > 7, `${listed.length} listed, ${files.length} files`);

try {
  yibao.estimate("chongqing-yubei/resident-2023", { date: "2023-06-01", level: "level2", bill: { total: "-1" } });
  check("a negative amount throws", false, "(no error)");
} catch (err) {
  check("a negative amount throws a YibaoError with code, path and both languages",
    err.name === "YibaoError" && err.code === "negative_amount" && err.path === "bill.total" &&
      /负/.test(err.message_zh) && /negative/.test(err.message_en),
    JSON.stringify({ name: err.name, code: err.code, path: err.path, zh: err.message_zh, en: err.message_en }));
}

// A good case is read straight from the JS object; a key the types do not have must still be
// refused (never skipped): the direct read hands it to the placed reader.
try {
  yibao.estimate("demo-county/resident-2024", { ...blankCase(72), patient: { age: 72, agee: 1 } });
  check("an unknown key throws", false, "(no error)");
} catch (err) {
  check("an unknown key in a good case is unknown_key at its path", err.code === "unknown_key" && err.path === "patient.agee",
    JSON.stringify({ code: err.code, path: err.path }));
}
// Many cases in one call: each the estimate `estimate` gives, or the problems it would throw, at
// the case's index.
{
  const cases = [blankCase(72), { ...blankCase(72), bill: { total: "-1" } }, { ...blankCase(40), extra: true }, blankCase()];
  const many = yibao.estimateMany("demo-county/resident-2024", cases);
  const one = (c) => { try { return { estimate: yibao.estimate("demo-county/resident-2024", c) }; } catch (err) { return { problems: err.problems }; } };
  const prefixed = (o, i) => o.problems ? { problems: o.problems.map((p) => ({ ...p, path: p.path ? `[${i}].${p.path}` : `[${i}]` })) } : o;
  check("estimateMany: one outcome per case, each what estimate gives (or throws) for it",
    many.length === cases.length && many.every((m, i) => JSON.stringify(m) === JSON.stringify(prefixed(one(cases[i]), i))) &&
      many[1].problems?.[0]?.path === "[1].bill.total" && many[2].problems?.[0]?.code === "unknown_key" && many[0].estimate,
    JSON.stringify(many.map((m) => m.problems ?? "estimate")));
  let threw = null;
  try { yibao.estimateMany("demo-county/resident-2024", { not: "a list" }); } catch (err) { threw = err.code; }
  check("estimateMany: not a list throws invalid_type", threw === "invalid_type", String(threw));
}
// The package's version is the CLI's (`yibao --version`, the real binary) and the engine's on a receipt.
{
  const cli = execFileSync("cargo", ["run", "--quiet", "-p", "yibao-cli", "--", "--version"], { encoding: "utf8" }).trim();
  const receipt = yibao.estimate("chongqing-yubei/resident-2023", { date: "2023-06-01", level: "level2", bill: { total: "52000" } }).receipt;
  check("version() is the CLI's and the receipt's engine", cli === `yibao ${yibao.version()}` && receipt.engine === `yibao-core ${yibao.version()}`,
    JSON.stringify({ cli, package: yibao.version(), engine: receipt.engine }));
}

// The shared bad inputs (tests/bad-inputs.json): the same code and path as the CLI and the widget.
const exported = JSON.parse(execFileSync("cargo",
  ["run", "--quiet", "-p", "yibao-cli", "--", "export", "--policy", badInputs.file.policy], { encoding: "utf8" }));
for (const e of badInputs.entries(exported)) {
  let got = null;
  try {
    if (e.kind === "case") yibao.estimate(badInputs.file.case_policy, e.input);
    else if (e.kind === "pathway") yibao.checkPathway(badInputs.file.pathway_policy, e.input);
    else yibao.loadPolicy(JSON.stringify(e.input));
  } catch (err) {
    got = (err.problems || []).map((p) => `${p.code}@${p.path}`);
  }
  check(`shared bad input ${JSON.stringify(e.set)} → ${e.code}@${e.path}`,
    got !== null && got.includes(`${e.code}@${e.path}`), JSON.stringify(got));
}

// The pathway request itself, its disease by name (肺炎), is accepted as `yibao refer` accepts it.
{
  let verdict = null;
  try {
    verdict = yibao.checkPathway(badInputs.file.pathway_policy, badInputs.file.pathway);
  } catch (err) {
    verdict = err;
  }
  check("checkPathway resolves a disease by name, as yibao refer does", verdict && !(verdict instanceof Error) && verdict.eligibility,
    JSON.stringify(verdict?.code ?? verdict));
}

// Diagnoses by their everyday names: the national index shipped beside the module, loaded once;
// the words and codes of tests/fixtures/everyday-words.tsv (what core and the CLI are held to).
const demoId = "demo-county/resident-2024";
const noCatalogue = "jiangxi-nanchang/resident-2025";
check("before loadDiagnoses: the catalogue alone", yibao.searchDiagnoses(demoId, "肺炎")[0]?.code === "J18" &&
  yibao.searchDiagnoses(noCatalogue, "肺炎").length === 0);
const count = yibao.loadDiagnoses(await readFile(join(pkg, "diagnoses.idx"), "utf8"));
check("loadDiagnoses reads the shipped index", count === 33304, String(count));
const fixture = (await readFile(join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/everyday-words.tsv"), "utf8"))
  .split("\n").filter((l) => l && !l.startsWith("#") && !l.startsWith("word\t")).map((l) => l.split("\t"));
const wrong = [];
for (const [word, national, demo] of fixture) {
  const a = yibao.searchDiagnoses(noCatalogue, word, 1)[0];
  if (a?.code !== national || a.listed !== "no_catalogue") wrong.push(`${word}: ${a?.code} ${a?.listed}`);
  const b = yibao.searchDiagnoses(demoId, word, 1)[0];
  const want = demo === "=" ? [national, "not_listed"] : [demo, "catalogue"];
  if (b?.code !== want[0] || b.listed !== want[1]) wrong.push(`${word} (demo): ${b?.code} ${b?.listed}`);
}
check(`${fixture.length} everyday words find their codes`, fixture.length >= 50 && wrong.length === 0, wrong.join("; "));
const mi = yibao.searchDiagnoses(demoId, "心梗", 5)[0];
check("心梗 → 急性心肌梗死, placed by the catalogue", mi.name_zh === "急性心肌梗死" && mi.via === "心梗" && mi.disease?.levels?.length > 0,
  JSON.stringify(mi));
const mapped = yibao.searchDiagnoses(noCatalogue, "A01.000x002", 1)[0];
check("a 国临版 code resolves to its 医保版 code", mapped.code === "A01.003" && mapped.matched === "mapped_code", JSON.stringify(mapped));
try {
  yibao.loadDiagnoses("not an index");
  check("a damaged index throws", false, "(no error)");
} catch (err) {
  check("a damaged index throws bad_diagnosis_index", err.name === "YibaoError" && err.code === "bad_diagnosis_index", err.code);
}

