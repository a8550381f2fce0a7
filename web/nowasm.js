// For browsers without JavaScript modules (and so without WebAssembly): a message, not a blank page.
var app = document.getElementById('app');
if (app) {
  app.className = 'nowasm';
  app.innerHTML = '';
  app.appendChild(document.createTextNode('您的浏览器版本过旧,无法运行本计算器。请点右上角“…”选择“在浏览器中打开”,或升级微信/浏览器后再试。 This browser is too old for the calculator.'));
}
