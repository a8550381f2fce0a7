// A host app's use of the package through a bundler: a plain `import` of the npm package (its
// `--target bundler` build; no init() call, the bundler instantiates the module), then the
// published 渝北 example (policies/chongqing-yubei/resident-2023.cases.toml).
import { estimate, loadPolicy, version } from "yibao";

const $ = (id) => document.getElementById(id);
try {
  const policy = loadPolicy("chongqing-yubei/resident-2023");
  const e = estimate(policy, {
    date: "2023-06-01",
    level: "level2",
    patient: { category: "dibao_edge" },
    bill: { total: "52000", in_scope: "50000" },
  });
  $("settlement").replaceChildren(...Object.entries(e.settlement).map(([key, value]) => {
    const tr = document.createElement("tr");
    const k = document.createElement("td");
    const v = document.createElement("td");
    k.textContent = key;
    v.textContent = value;
    v.dataset.key = key;
    tr.append(k, v);
    return tr;
  }));
  $("steps").replaceChildren(...e.steps.map((s) => {
    const li = document.createElement("li");
    li.textContent = `${s.zh}(${s.cite.clause})`;
    return li;
  }));
  $("status").textContent = `yibao ${version()}: ${e.receipt.policy_id}`;
  document.body.dataset.ready = "1";
} catch (err) {
  $("status").textContent = `${err.name}: ${err.message_en ?? err.message}`;
  document.body.dataset.ready = "error";
}
