// Example ops-portal host page for the obshell console (see deploy/README.md, "Embedding").
//
// What a host does:
//   1. import { mount } from '<console>/embed.js'       (the console's stable ES module entry)
//   2. (mount adds the console's stylesheet to the page once, with its integrity hash)
//   3. const handle = await mount(element, options)      (throws on unknown/malformed options)
//   4. listen to 'obshell:task-submitted' / 'obshell:task-finished' on the element
//      (event.detail = {id, name, state, operator})
//   5. handle.unmount()                                   (removes it, stops its requests)
// For SSO the portal's backend (which knows the agent password) mints a one-time token with
// POST /api/v1/sso/token and gives it to the page; the console exchanges it for a session.

const consoleBase = new URL(document.body.dataset.console || '/', document.baseURI);
const embed = import(new URL('embed.js', consoleBase).href);

const EVENTS = ['obshell:task-submitted', 'obshell:task-finished'];

function setUpSlot(slot) {
  const host = slot.querySelector('.console-host');
  const optionsField = slot.querySelector('.options');
  const useSso = slot.querySelector('.use-sso');
  const mountButton = slot.querySelector('.mount');
  const unmountButton = slot.querySelector('.unmount');
  const error = slot.querySelector('.mount-error');
  const log = slot.querySelector('.events');
  let handle = null;

  optionsField.value = slot.dataset.options || '{}';

  // The console dispatches its events on the element it is mounted on.
  for (const type of EVENTS) {
    host.addEventListener(type, (ev) => {
      const { id, name, state, operator } = ev.detail;
      const li = document.createElement('li');
      li.dataset.type = type;
      li.dataset.id = id;
      li.dataset.state = state;
      li.textContent = `${type.replace('obshell:', '')} · #${id} ${name} · ${state}${operator ? ` (${operator})` : ''}`;
      log.append(li);
    });
  }

  async function ssoToken() {
    const r = await fetch(slot.dataset.sso, { method: 'POST' });
    if (!r.ok) throw new Error(`SSO token from ${slot.dataset.sso}: HTTP ${r.status}`);
    return (await r.text()).trim();
  }

  async function doMount() {
    error.textContent = '';
    mountButton.disabled = true;
    try {
      const options = JSON.parse(optionsField.value || '{}');
      if (useSso.checked) options.ssoToken = await ssoToken();
      const { mount } = await embed;
      handle = await mount(host, options);
      unmountButton.disabled = false;
      slot.dataset.mounted = '';
    } catch (e) {
      // mount() throws a string naming the bad option (nothing of it is applied).
      error.textContent = `Cannot mount: ${e instanceof Error ? e.message : String(e)}`;
      mountButton.disabled = false;
    }
  }

  function doUnmount() {
    handle?.unmount();
    handle?.free?.(); // release the wasm-side handle object
    handle = null;
    delete slot.dataset.mounted;
    unmountButton.disabled = true;
    mountButton.disabled = false;
  }

  mountButton.addEventListener('click', doMount);
  unmountButton.addEventListener('click', doUnmount);
  if ('autostart' in slot.dataset) doMount();
}

document.querySelectorAll('.slot').forEach(setUpSlot);
