// The sign-in form of index.html until the console's wasm takes it over (src/prepaint.rs).
// A blocking script in <head> (scripts/postbuild.py adds it with its SHA-384 integrity): it runs
// before the body is parsed, so the first paint is already in the browser's language.
// It only sets the page's language and listens on the document; the form's texts are in the
// markup in both languages and the stylesheet shows the page's.
(() => {
  const root = () => document.getElementById('obshell-prepaint');
  const html = document.documentElement;
  // The console's rule (src/i18n.rs browser_lang): Chinese when the browser prefers it.
  html.lang = (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';

  // Enter or the button before the console is there: remembered, and the console signs in
  // once the agent's key has arrived. (The form is method=dialog: it never navigates.)
  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || !root()?.contains(form)) return;
    ev.preventDefault();
    form.dataset.submitted = '';
  });

  document.addEventListener('click', (ev) => {
    const button = ev.target instanceof Element && ev.target.closest('button[data-pp]');
    if (!button || !root()?.contains(button)) return;
    if (button.dataset.pp === 'lang') {
      html.lang = html.lang.startsWith('zh') ? 'en' : 'zh-CN';
      root().dataset.langChosen = html.lang; // the console keeps the user's choice
    } else if (button.dataset.pp === 'reveal') {
      const input = document.getElementById(button.getAttribute('aria-controls'));
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(show));
    }
  });
})();
