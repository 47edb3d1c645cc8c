// The Kingdom's regions in a real browser: a buyer finds the twelve regions on one map,
// opens Souss-Massa's hub (its outlines, provinces and seats, in Arabic too, at phone
// width) and filters the products by one of its provinces; a visitor's position makes
// Souss-Massa its region, where the catalogue and the home page then start.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { day, open, signIn, startSouk } from './support.mjs';

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

    // "My region": the browser says it is in Agadir, the button leads to Souss-Massa.
    const visitor = await souk.page({ geolocation: { latitude: 30.4202, longitude: -9.5982 }, permissions: ['geolocation'] });
    await open(visitor, souk.base, '/regions');
    await visitor.getByTestId('locate').click();
    await visitor.waitForURL(/\/regions\/souss-massa$/);
    await visitor.getByTestId('region-hub').waitFor();
    // It is now the visitor's region: the catalogue and the home page start there.
    await visitor.getByTestId('region-mine').waitFor();
    await open(visitor, souk.base, '/products');
    assert.match(await visitor.getByTestId('region-scope').innerText(), /Souss-Massa/);
    await visitor.getByTestId('no-products').waitFor();
    await visitor.getByTestId('scope-kingdom').click();
    await visitor.waitForURL(/\/products\?region=$/);
    assert.ok(await visitor.locator('.product-card').count() > 0, 'the whole Kingdom\'s products');
    await open(visitor, souk.base, '/');
    assert.match(await visitor.getByTestId('home-region').innerText(), /Souss-Massa/);
    assert.match(await visitor.locator('#provinces').innerText(), /Tiznit/);

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
  test("an organiser of Fès-Meknès cannot open a Souss-Massa salon and is offered only its region's sites", async () => {
    // The admin (the whole Kingdom) adds a venue in Agadir and a salon there.
    const admin = await souk.page();
    await signIn(admin, souk.base, 'admin@souk.ma', '/organiser/sites');
    const siteForm = admin.getByTestId('site-form');
    await siteForm.getByLabel('Type de site').selectOption({ label: 'Lieu de salon' });
    await siteForm.getByLabel('Nom (français)').fill("Palais des congrès d'Agadir");
    await siteForm.getByLabel('Latitude').fill('30.4202');
    await siteForm.getByLabel('Longitude').fill('-9.5982');
    await admin.getByTestId('site-save').click();
    await admin.getByTestId('sites').getByText("Palais des congrès d'Agadir").waitFor();
    assert.match(await admin.getByTestId('sites').innerText(), /Agadir-Ida-Ou-Tanane/, 'placed by its outline');

    await open(admin, souk.base, '/organiser/events');
    const form = admin.getByTestId('event-form');
    await form.getByLabel('Type').selectOption('salon');
    await form.getByLabel('Nom (français)').fill('Salon du Souss');
    const venue = await form.getByLabel('Lieu (salon)').locator('option', { hasText: 'Agadir' }).getAttribute('value');
    await form.getByLabel('Lieu (salon)').selectOption(venue);
    await form.getByLabel('Début').fill(day(20));
    await form.getByLabel('Fin').fill(day(21));
    await form.getByLabel('Ouverture').fill('09:00');
    await form.getByLabel('Fermeture').fill('18:00');
    await form.getByLabel('Capacité (coopératives)').fill('8');
    await form.getByRole('button', { name: 'Créer (brouillon)' }).click();
    await admin.waitForURL(/\/organiser\/events\/\d+$/);
    const salon = admin.url().split('/').pop();

    // The Fès-Meknès organiser: the button is refused and the salon stays a draft.
    const organiser = await souk.page();
    await signIn(organiser, souk.base, 'organisateur@souk.ma', `/organiser/events/${salon}`);
    assert.equal(await organiser.getByTestId('planner-status').innerText(), 'Brouillon');
    await organiser.getByRole('button', { name: 'Ouvrir les candidatures' }).click();
    await organiser.getByText("Vous n'avez pas le droit de faire cela.").first().waitFor();
    await organiser.reload();
    await organiser.getByTestId('planner-status').waitFor();
    assert.equal(await organiser.getByTestId('planner-status').innerText(), 'Brouillon');
    const status = await (await fetch(`${souk.base}/api/v1/events/${salon}`)).status;
    assert.equal(status, 404, 'still a draft: not public');

    // Its sites page offers its region's sites only.
    await open(organiser, souk.base, '/organiser/sites');
    const sites = await organiser.getByTestId('sites').innerText();
    assert.match(sites, /Sefrou/);
    assert.doesNotMatch(sites, /Agadir/);

    // The admin gives the organiser Souss-Massa too; now it may open the salon.
    await open(admin, souk.base, '/admin/users');
    const row = admin.locator('tr', { hasText: 'organisateur@souk.ma' });
    assert.match(await row.innerText(), /fes-meknes/);
    await row.locator('input[name=regions]').fill('fes-meknes, atlantide');
    await row.getByRole('button', { name: 'Enregistrer' }).click();
    await row.locator('.field-error').waitFor();
    await row.locator('input[name=regions]').fill('fes-meknes,souss-massa');
    await row.getByRole('button', { name: 'Enregistrer' }).click();
    await admin.waitForFunction(() => [...document.querySelectorAll('tr')].some((tr) => tr.textContent.includes('organisateur@souk.ma') && tr.textContent.includes('fes-meknes, souss-massa')));
    await open(organiser, souk.base, `/organiser/events/${salon}`);
    await organiser.getByRole('button', { name: 'Ouvrir les candidatures' }).click();
    await organiser.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent === 'Candidatures ouvertes');
  });
});
