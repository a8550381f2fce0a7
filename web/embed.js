// The embedding example: the custom element (declared in embed.html) and a mount() call,
// with every `yibao-estimate` event logged for the host to use.
import { mount } from './yibao.js';

const log = document.getElementById('events');
let n = 0;
document.addEventListener('yibao-estimate', (e) => {
  n += 1;
  const d = e.detail;
  log.textContent = `#${n} from <${e.target.id || e.target.tagName.toLowerCase()}>: ${d.policy}, patient pays ${d.patientPays.typical} (${d.patientPays.low}–${d.patientPays.high}), fund ${d.settlement.fund_pay_sumamt}`;
  window.lastYibaoEvent = d;
});
mount(document.getElementById('desk'), { mode: 'clerk', policy: 'chongqing-yubei/resident-2023', lang: 'en' });
