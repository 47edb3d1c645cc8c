// Starts `souk` on a free port with a fresh SQLite database, and Debian's Chromium through
// playwright-core. Every journey gets its own server and browser. The server is
// `target/release/souk` unless SOUK_BIN names another build (CI uses the tests' build);
// the pages it serves are the release front in `target/site` either way.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const soukBin = resolve(root, process.env.SOUK_BIN || 'target/release/souk');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitUntilReady(base, child, deadlineMs) {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    if (child.exitCode !== null) throw new Error(`souk exited early with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`souk not ready at ${base} after ${deadlineMs} ms`);
}

/**
 * Starts Souk; with `{ stripe: true }` also the Stripe-compatible test server
 * (`souk stripe-mock`) on loopback, and Souk pointed at it.
 */
export async function startSouk({ stripe = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'souk-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logs = [];
  let mock = null;
  const stripeEnv = {};
  if (stripe) {
    const mockPort = await freePort();
    const secret = 'whsec_e2e_journeys';
    mock = spawn(soukBin, ['stripe-mock', '--listen', `127.0.0.1:${mockPort}`,
      '--webhook', `${base}/api/v1/stripe/webhook`, '--secret', secret], { stdio: ['ignore', 'pipe', 'pipe'] });
    mock.stdout.on('data', (d) => logs.push(`stripe-mock: ${d}`));
    mock.stderr.on('data', (d) => logs.push(`stripe-mock: ${d}`));
    Object.assign(stripeEnv, {
      STRIPE_SECRET_KEY: 'sk_test_e2e',
      STRIPE_WEBHOOK_SECRET: secret,
      STRIPE_API_BASE: `http://127.0.0.1:${mockPort}`,
    });
  }
  const child = spawn(soukBin, ['serve'], {
    cwd: root,
    env: {
      ...process.env,
      SOUK_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${join(dir, 'souk.db')}`,
      SOUK_SITE_ROOT: join(root, 'target/site'),
      SOUK_DATA_DIR: join(dir, 'media'),
      RUST_LOG: 'warn',
      ...stripeEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => logs.push(String(d)));
  child.stderr.on('data', (d) => logs.push(String(d)));
  await waitUntilReady(base, child, 30_000);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    base,
    browser,
    logs,
    async page(options = {}) {
      const context = await browser.newContext({ locale: 'fr-FR', ...options });
      const page = await context.newPage();
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      // Anything the Content-Security-Policy refused: every journey ends with none.
      page.on('console', (m) => {
        if (/Content Security Policy/.test(m.text())) logs.push(`csp: ${m.text()}`);
      });
      return page;
    },
    async stop() {
      await browser.close();
      mock?.kill('SIGTERM');
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
      const refused = logs.filter((l) => l.startsWith('csp: '));
      if (refused.length) throw new Error(`the Content-Security-Policy refused:\n${refused.join('\n')}`);
    },
  };
}

/** Opens a path and waits until the wasm has hydrated the page. */
export async function open(page, base, path) {
  await page.goto(`${base}${path}`);
  await page.waitForSelector('main[data-hydrated="true"]', { timeout: 20_000 });
}

/** The date `days` from today, as a date input takes it. */
export function day(days) {
  const d = new Date(Date.now() + 3600_000 + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Opens a path in a page without JavaScript: the HTML as the server sent it. */
export async function openPlain(page, base, path) {
  await page.goto(`${base}${path}`);
  await page.locator('main[data-hydrated]').waitFor({ state: 'attached' });
}

/**
 * Signs in with a demo account through the form and waits for the page it leads to
 * (and, unless `{ script: false }`, for its islands).
 */
export async function signIn(page, base, email, next, { script = true } = {}) {
  await (script ? open : openPlain)(page, base, `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill('souk-demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${base}${next}`);
  if (script) await page.waitForSelector('main[data-hydrated="true"]');
}

/** Adds `quantity` of a product to the cart from its page. */
export async function addToCart(page, base, product, quantity) {
  await open(page, base, `/products/${product}`);
  const form = page.getByTestId('add-to-cart');
  await form.getByLabel('Quantité').fill(String(quantity));
  await form.getByRole('button', { name: 'Ajouter au panier' }).click();
  await page.getByTestId('added').waitFor();
}

/** Checks the cart out for collection at the Sefrou stop, paying `payment`. */
export async function checkoutAtSefrou(page, base, payment) {
  await open(page, base, '/cart');
  await page.getByTestId('cart-line').first().waitFor();
  const select = page.getByLabel('Lieu de retrait');
  const option = await select.locator('option', { hasText: 'Sefrou' }).first().getAttribute('value');
  assert.match(option, /^stop:\d+$/);
  await select.selectOption(option);
  await page.getByTestId(`payment-${payment}`).check();
  await page.getByTestId('place-order').click();
}

/** Creates a draft tour from the organiser's events page; answers its id. */
export async function createTour(page, name, from, to) {
  const form = page.getByTestId('event-form');
  await form.getByLabel('Type').selectOption('tour');
  await form.getByLabel('Nom (français)').fill(name);
  await form.getByLabel('Début').fill(day(from));
  await form.getByLabel('Fin').fill(day(to));
  await form.getByLabel('Ouverture').fill('09:00');
  await form.getByLabel('Fermeture').fill('14:00');
  await form.getByLabel('Capacité (coopératives)').fill('8');
  await form.getByRole('button', { name: 'Créer (brouillon)' }).click();
  await page.waitForURL(/\/organiser\/events\/\d+$/);
  return page.url().split('/').pop();
}

/** On an order page, moves the order to another stop than Sefrou; answers the new place. */
export async function moveOrderFromSefrou(page) {
  const move = page.getByTestId('move-pickup');
  await move.locator('summary').click();
  const select = move.getByLabel('Lieu de retrait');
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const other = options.find(([value, label]) => value.startsWith('stop:') && !/Sefrou/.test(label));
  assert.ok(other, `another stop is offered: ${JSON.stringify(options)}`);
  await select.selectOption(other[0]);
  await move.getByTestId('move-pickup-submit').click();
  await page.waitForFunction(() => !/Sefrou/.test(document.querySelector('[data-testid=pickup-place]')?.textContent ?? 'Sefrou'));
  return page.getByTestId('pickup-place').innerText();
}
