// Page weight and time to interactive on a throttled phone, for the README's table.
// Not a test (nothing is asserted): `node end2end/measure.mjs` after a release build.
//
// Each page is opened cold (a new browser context) in Debian's Chromium under
// Lighthouse's mobile throttling: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up,
// CPU 4x slower, a 360x740 screen. "Interactive" is when the page's islands are live
// (`main[data-hydrated="true"]`, set by the last island once every island above it has
// hydrated). Bytes are what crossed the wire (compressed), by type.
import { startSouk } from './support.mjs';

const PAGES = ['/', '/products', '/products/1', '/cooperatives', '/cooperatives/1', '/markets', '/markets/near',
  '/cart', 'ORDER', '/cooperative/products/1', '/organiser/events', 'ROUTE'];

function kind(url, mime) {
  if (url.endsWith('.wasm') || mime === 'application/wasm') return 'wasm';
  if (url.endsWith('.js') || mime.includes('javascript')) return 'js';
  if (url.endsWith('.css') || mime.includes('css')) return 'css';
  if (mime.includes('html')) return 'html';
  return 'other';
}

async function signedInCookie(base, email) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password: 'souk-demo-2026' }),
  });
  return res.headers.get('set-cookie').match(/souk_session=([^;]+)/)[1];
}

async function measure(souk, path, locale, cookie) {
  const context = await souk.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'fr-FR' });
  const cookies = [{ name: 'souk_lang', value: locale, url: souk.base }];
  if (cookie) cookies.push({ name: 'souk_session', value: cookie, url: souk.base });
  await context.addCookies(cookies);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const requests = new Map();
  const bytes = { html: 0, css: 0, js: 0, wasm: 0, other: 0 };
  cdp.on('Network.responseReceived', (e) => requests.set(e.requestId, kind(e.response.url, e.response.mimeType)));
  cdp.on('Network.loadingFinished', (e) => { bytes[requests.get(e.requestId) ?? 'other'] += e.encodedDataLength; });
  const started = Date.now();
  await page.goto(`${souk.base}${path}`);
  const htmlAt = Date.now() - started;
  await page.waitForSelector('main[data-hydrated="true"]', { timeout: 120_000 });
  const interactive = Date.now() - started;
  await page.waitForLoadState('networkidle');
  await context.close();
  return { path, locale, htmlAt, interactive, ...bytes };
}

const souk = await startSouk();
try {
  const buyer = await signedInCookie(souk.base, 'acheteur@souk.ma');
  const coop = await signedInCookie(souk.base, 'cooperative@souk.ma');
  const organiser = await signedInCookie(souk.base, 'organisateur@souk.ma');
  // An order to look at: the first stop of a published tour that the demo catalogue serves.
  const listing = await (await fetch(`${souk.base}/api/v1/products?province=sefrou&in_stock=1`)).json();
  const setup = await souk.browser.newContext({ locale: 'fr-FR' });
  await setup.addCookies([{ name: 'souk_session', value: buyer, url: souk.base }]);
  const p = await setup.newPage();
  await p.goto(`${souk.base}/products/${listing.items[0].id}`);
  await p.getByTestId('add-to-cart').getByRole('button').click();
  await p.getByTestId('added').waitFor();
  await p.goto(`${souk.base}/cart`);
  const select = p.getByLabel('Lieu de retrait');
  await select.selectOption(await select.locator('option', { hasText: 'Sefrou' }).first().getAttribute('value'));
  await p.getByTestId('place-order').click();
  await p.waitForURL(/\/orders\/\d+$/);
  const order = new URL(p.url()).pathname;
  await p.goto(`${souk.base}/products/${listing.items[0].id}`);
  await p.getByTestId('add-to-cart').getByRole('button').click();
  await setup.close();
  const events = await (await fetch(`${souk.base}/api/v1/events?kind=tour`)).json();
  const route = `/organiser/events/${events.items[0].event_id}/route`;

  const rows = [];
  for (const locale of ['fr', 'ar']) {
    for (const page of PAGES) {
      const path = page === 'ORDER' ? order : page === 'ROUTE' ? route : page;
      const cookie = path.startsWith('/organiser') ? organiser : path.startsWith('/cooperative/') ? coop
        : (path === '/cart' || path.startsWith('/orders')) ? buyer : null;
      rows.push(await measure(souk, path, locale, cookie));
    }
  }
  const kb = (n) => (n / 1024).toFixed(1);
  console.log('| page | lang | HTML KB | CSS KB | JS KB | wasm KB | JS+wasm KB | HTML at (ms) | interactive at (ms) |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| \`${r.path}\` | ${r.locale} | ${kb(r.html)} | ${kb(r.css)} | ${kb(r.js)} | ${kb(r.wasm)} | ${kb(r.js + r.wasm)} | ${r.htmlAt} | ${r.interactive} |`);
  }
} finally {
  await souk.stop();
}
