// The council's tools in a real browser: after a cash sale at the Sefrou stop, the
// Fès-Meknès organiser opens the indicators in Arabic, filters them by Sefrou and the
// Mouaazara programme, reads the chart and its table, downloads the table as CSV, then
// records an accompaniment session that the cooperative sees in its own space. Then the
// cooperative reads its own sales on its dashboard, narrowed to today by the period form.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { addToCart, checkoutAtSefrou, open, signIn, startSouk } from './support.mjs';

describe('The council in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('indicators in Arabic with a chart, its table and its CSV; a session the cooperative sees', async () => {
    // A sale: the demo buyer reserves two at Sefrou, the cooperative hands them over.
    const listing = await (await fetch(`${souk.base}/api/v1/products?province=sefrou&in_stock=1`)).json();
    const product = listing.items[0].id;
    const buyer = await souk.page();
    await signIn(buyer, souk.base, 'acheteur@souk.ma', '/');
    await addToCart(buyer, souk.base, product, 2);
    await checkoutAtSefrou(buyer, souk.base, 'cash');
    await buyer.waitForURL(/\/orders\/\d+$/);
    await buyer.waitForSelector('main[data-hydrated="true"]');
    const order = buyer.url().split('/').pop();
    const code = (await buyer.getByTestId('pickup-code').innerText()).trim();
    const coop = await souk.page();
    await signIn(coop, souk.base, 'cooperative@souk.ma', '/cooperative/orders');
    const row = coop.getByTestId('packing-list').locator(`[data-testid=part][data-order="${order}"]`);
    await row.getByLabel('Code de retrait').fill(code);
    await row.getByRole('button', { name: 'Remettre' }).click();
    await coop.getByTestId('handed-over').waitFor();

    // The organiser, in Arabic, from the navigation.
    const organiser = await souk.page({ acceptDownloads: true });
    await signIn(organiser, souk.base, 'organisateur@souk.ma', '/');
    await organiser.getByTestId('lang-ar').click();
    await organiser.waitForFunction(() => document.documentElement.dir === 'rtl');
    await organiser.getByTestId('nav-council').click();
    await organiser.waitForURL(/\/council$/);
    assert.match(await organiser.locator('h1').innerText(), /مؤشرات/);
    const filters = organiser.getByTestId('council-filters');
    await filters.locator('#council-province').selectOption('sefrou');
    await filters.locator('#council-programme').selectOption('mouaazara');
    await filters.getByTestId('council-apply').click();
    await organiser.waitForURL(/province=sefrou/);
    assert.match(organiser.url(), /programme=mouaazara/);
    assert.equal(await organiser.locator('#council-province').inputValue(), 'sefrou');

    // The chart and, beneath it, its table: Sefrou's sale, in Arabic.
    const provinces = organiser.getByTestId('council-provinces');
    assert.equal(await provinces.getByTestId('bar-chart').count(), 1);
    const cells = await provinces.locator('table tbody tr').first().locator('td').allInnerTexts();
    assert.equal(cells[0], 'صفرو');
    assert.match(cells[3], /MAD|درهم/);
    assert.notEqual(await organiser.getByTestId('kpi-orders').innerText(), '0');
    await organiser.screenshot({ path: 'end2end/test-results/council-ar.png', fullPage: true });

    // Its CSV, with the same filter.
    const [download] = await Promise.all([
      organiser.waitForEvent('download'),
      organiser.getByTestId('csv-provinces').click(),
    ]);
    assert.match(download.suggestedFilename(), /^souk-provinces-.*\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    assert.match(csv, /^province,name_fr,name_ar,cash_mad,card_mad,total_mad,units\n/);
    assert.match(csv, /\nsefrou,Sefrou,صفرو,\d+\.\d\d,0\.00,\d+\.\d\d,2\n/);

    // A session recorded for Zitoun Sefrou (the Arabic form, found by its fields).
    const cooperatives = await (await fetch(`${souk.base}/api/v1/cooperatives?province=sefrou`)).json();
    const zitoun = cooperatives.items.find((c) => c.name_fr === 'Coopérative Zitoun Sefrou').id;
    await organiser.getByTestId('nav-follow-up').click();
    await organiser.waitForURL(/\/council\/programmes$/);
    const form = organiser.getByTestId('session-form');
    await form.locator('#session-kind').selectOption('training');
    await form.locator('#session-day').fill('2026-11-20');
    await form.locator('#session-place').fill("Maison de l'ESS, Fès");
    await form.locator('#session-topic').fill('Emballage et étiquetage');
    await form.locator(`#present-${zitoun}`).check();
    await form.getByTestId('session-save').click();
    await organiser.getByTestId('sessions').getByText('Emballage et étiquetage').waitFor();
    await organiser.screenshot({ path: 'end2end/test-results/follow-up-ar.png', fullPage: true });

    // The cooperative sees it in its own space.
    await coop.getByTestId('nav-accompaniment').click();
    await coop.waitForURL(/\/cooperative\/accompaniment$/);
    assert.match(await coop.getByTestId('sessions').innerText(), /Emballage et étiquetage/);
    assert.match(await coop.getByTestId('sessions').innerText(), /Maison de l'ESS, Fès/);
  });
  test("the cooperative's own dashboard: today's sale by product and stop, at 360 px", async () => {
    const coop = await souk.page();
    await signIn(coop, souk.base, 'cooperative@souk.ma', '/cooperative');
    await coop.getByTestId('nav-my-sales').click();
    await coop.waitForURL(/\/cooperative\/sales$/);
    assert.equal(await coop.locator('h1').innerText(), 'Mes ventes');
    // Today only, through the plain GET form.
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Africa/Casablanca' });
    const period = coop.getByTestId('my-sales-period');
    await period.locator('#sales-from').fill(today);
    await period.locator('#sales-to').fill(today);
    await period.getByRole('button').click();
    await coop.waitForURL(new RegExp(`from=${today}&to=${today}`));
    assert.match(await coop.getByTestId('my-sales-total').innerText(), /[1-9].*MAD/);
    // The two handed over in the first journey, on one product row and one stop row.
    const products = coop.getByTestId('council-products');
    assert.equal(await products.getByTestId('bar-chart').count(), 1);
    const row = await products.locator('table tbody tr').first().locator('td').allInnerTexts();
    assert.equal(row.at(-1), '2');
    const stops = await coop.getByTestId('my-sales-stops').locator('table tbody tr').count();
    assert.equal(stops, 1);
    // A phone: nothing scrolls sideways but the tables' own boxes.
    await coop.setViewportSize({ width: 360, height: 800 });
    const wide = await coop.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `the page is ${wide} px wide`);
    await coop.screenshot({ path: 'end2end/test-results/my-sales-360.png', fullPage: true });
  });
});
