// The Kingdom's regions in a real browser: a buyer finds the twelve regions on one map,
// opens Souss-Massa's hub (its outlines, provinces and seats, in Arabic too, at phone
// width) and filters the products by one of its provinces.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { open, startSouk } from './support.mjs';

describe('Regions in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('a buyer goes from the Kingdom map to Souss-Massa and filters by Tiznit', async () => {
    const buyer = await souk.page();
    await open(buyer, souk.base, '/');
    await buyer.getByTestId('nav-regions').click();
    await buyer.waitForURL(/\/regions$/);
    assert.equal(await buyer.getByTestId('kingdom-region').count(), 12, 'twelve regions on the map');
    assert.equal(await buyer.locator('[data-testid=region-list] li').count(), 12);

    // Souss-Massa from the map: its outline is a link.
    await buyer.locator('[data-testid=kingdom-map] a[href="/regions/souss-massa"]').click();
    await buyer.waitForURL(/\/regions\/souss-massa$/);
    const hub = buyer.getByTestId('region-hub');
    assert.equal(await hub.locator('h1').innerText(), 'Souss-Massa');
    assert.equal(await hub.locator('path.map-province').count(), 6, 'its six outlines');
    assert.equal(await hub.locator('[data-testid=region-provinces] li').count(), 6);
    assert.match(await hub.innerText(), /Inezgane/);
    assert.match(await hub.getByTestId('region-no-markets').innerText(), /Aucun salon/);
    assert.match(await hub.locator('.map-credit').innerText(), /OpenStreetMap/);

    // The same page in Arabic, at a phone's width: right to left, names in Arabic.
    await buyer.setViewportSize({ width: 360, height: 800 });
    await buyer.getByTestId('lang-ar').click();
    await buyer.waitForFunction(() => document.documentElement.dir === 'rtl');
    await buyer.getByTestId('region-hub').waitFor();
    assert.equal(await buyer.locator('[data-testid=region-hub] h1').innerText(), 'سوس-ماسة');
    const overflow = await buyer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scroll at 360 px (${overflow} px)`);
    await buyer.getByTestId('lang-fr').click();
    await buyer.waitForFunction(() => document.documentElement.dir === 'ltr');

    // The catalogue filtered by one of its provinces: nothing is sold there yet.
    await buyer.setViewportSize({ width: 1100, height: 900 });
    await open(buyer, souk.base, '/products');
    const filters = buyer.getByTestId('catalogue-filters');
    if (await filters.getByTestId('filters-toggle').isVisible()) await filters.getByTestId('filters-toggle').click();
    await filters.getByLabel('Province').selectOption({ label: 'Tiznit' });
    await filters.getByRole('button').last().click();
    await buyer.waitForURL(/province=tiznit/);
    await buyer.getByTestId('no-products').waitFor();
  });
});
