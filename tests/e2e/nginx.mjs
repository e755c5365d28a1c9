// Runs a private nginx with one of the deployment templates of deploy/nginx/, rendered the way
// deploy/README.md tells an operator to: ${LISTEN} ${DIST} ${AGENT} ${PREFIX} ${CONF_DIR} are
// replaced, everything else is the template as shipped. Each instance lives in its own temp
// directory (config, logs, temp files, pid) and listens on a free 127.0.0.1 port.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, freePort } from './harness.mjs';

export const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const TEMPLATES = path.join(ROOT, 'deploy/nginx');
const PLACEHOLDERS = ['LISTEN', 'DIST', 'AGENT', 'PREFIX', 'CONF_DIR'];

/** Replaces the placeholders; refuses a template that still has one (or lacks a value). */
export function render(text, vars) {
  const out = text.replace(/\$\{([A-Z_]+)\}/g, (m, name) => {
    if (!PLACEHOLDERS.includes(name)) throw new Error(`unknown placeholder ${m}`);
    if (vars[name] === undefined) throw new Error(`no value for ${m}`);
    return vars[name];
  });
  return out;
}

/**
 * Starts nginx with `template` (a file name in deploy/nginx/) for `agent` ("127.0.0.1:port").
 * `extra`: more nginx text put inside the rendered server block (e.g. a host page's location),
 * or a function of the placeholder values ({ CONF_DIR, … }) returning it.
 * Returns { base, url(path), dir, log(), accessLog(), stop() }.
 */
export async function startNginx({ template, dist = path.join(ROOT, 'dist'), agent, prefix = '', extra = '' }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obshell-nginx-'));
  const port = await freePort();
  const vars = { LISTEN: `127.0.0.1:${port}`, DIST: dist, AGENT: agent, PREFIX: prefix, CONF_DIR: dir };
  // Every template is rendered (security-headers.conf is included by the others from CONF_DIR).
  for (const f of fs.readdirSync(TEMPLATES).filter((f) => f.endsWith('.conf'))) {
    fs.writeFileSync(path.join(dir, f), render(fs.readFileSync(path.join(TEMPLATES, f), 'utf8'), vars));
  }
  let site = fs.readFileSync(path.join(dir, template), 'utf8');
  if (typeof extra === 'function') extra = extra(vars);
  if (extra) {
    const end = site.lastIndexOf('}');
    site = `${site.slice(0, end)}\n    # --- added by the test ---\n${extra}\n${site.slice(end)}`;
  }
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, t));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes 1;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${dir}/site.conf;
}
`);
  const proc = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', `daemon off; pid ${dir}/nginx.pid; user root;`],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const read = (f) => { try { return fs.readFileSync(path.join(dir, f), 'utf8'); } catch { return ''; } };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  const fail = async (why) => {
    const msg = `${why}:\n${output}\n${read('error.log')}\n--- site.conf ---\n${site}`;
    if (proc.exitCode === null) { proc.kill('SIGTERM'); await new Promise((r) => proc.once('exit', r)); }
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(msg);
  };
  for (;;) {
    if (proc.exitCode !== null) await fail('nginx did not start');
    try {
      await fetch(base + '/');
      break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) await fail('nginx did not answer');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    dir,
    url: (p = '/') => base + p,
    log: () => output + read('error.log'),
    accessLog: () => read('access.log'),
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill('SIGQUIT'); // graceful: finish requests, then exit
        await new Promise((r) => proc.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
