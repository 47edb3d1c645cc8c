// Accessibility of the main pages in French and Arabic: axe-core finds no serious or
// critical violation, and the language switch and the cart are reached with the keyboard.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { open, signIn, startSouk } from './support.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const PAGES = ['/', '/products', '/products/1', '/cooperatives', '/cooperatives/1', '/markets',
  '/markets/near', '/provinces', '/login', '/register', '/cart', '/orders'];

/** The serious and critical violations axe-core finds on the open page, one line each. */
async function seriousViolations(page) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

/** The test ids of what Tab reaches, in order, from the top of the page. */
async function tabStops(page, count) {
  const reached = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement?.dataset?.testid ?? ''));
  }
  return reached;
}

describe('accessibility', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  for (const locale of ['fr', 'ar']) {
    test(`the main pages have no serious or critical axe violation (${locale})`, async () => {
      // axe-core is injected as an inline script, which the pages' CSP (rightly) refuses.
      const page = await souk.page({ bypassCSP: true });
      await signIn(page, souk.base, 'acheteur@souk.ma', '/');
      if (locale === 'ar') {
        await page.getByTestId('lang-ar').click();
        await page.waitForSelector('html[lang="ar"][dir="rtl"]');
      }
      const found = [];
      for (const path of PAGES) {
        await open(page, souk.base, path);
        for (const line of await seriousViolations(page)) found.push(`${path}: ${line}`);
      }
      assert.deepEqual(found, [], found.join('\n'));
    });
  }

  test('the language switch and the cart with its count are reached by keyboard', async () => {
    const page = await souk.page();
    await signIn(page, souk.base, 'acheteur@souk.ma', '/products/1');
    await page.getByTestId('add-to-cart').getByRole('button').click();
    await page.getByTestId('added').waitFor();
    await page.waitForSelector('main[data-hydrated="true"]');
    assert.equal(await page.getByTestId('cart-count').innerText(), '1', 'the header counts the unit just added');
    const reached = await tabStops(page, 25);
    for (const id of ['nav-cart', 'lang-fr', 'lang-ar', 'lang-en']) {
      assert.ok(reached.includes(id), `${id} is not reached by Tab: ${reached.join(' ')}`);
    }
    // Enter on the focused cart link opens the cart.
    await page.goto(`${souk.base}/products/1`);
    await page.waitForSelector('main[data-hydrated="true"]');
    for (let i = 0; i < 25; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.dataset?.testid === 'nav-cart')) break;
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(`${souk.base}/cart`);
  });
});
