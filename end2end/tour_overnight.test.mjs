// Tours that sleep on the road, in Chromium: an organiser plans five stops over five
// days coming back to Fès each night, then sleeping on the road, sees the fewer km and
// the nights, and accepts it. Then a stop of the winter tour moves: the organiser sees
// whom it reaches, its buyer reads the message, moves the order to another stop, and the
// cooperative's packing list follows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addToCart, checkoutAtSefrou, createTour, moveOrderFromSefrou, open, signIn, startSouk } from './support.mjs';

const SITES = ['taza-haut', 'taounate-souk', 'ifrane-centre', 'sefrou-souk', 'el-hajeb-souk'];

async function solve(page) {
  const before = page.url();
  await page.getByTestId('solve').click();
  await page.waitForURL((url) => url.toString() !== before && /solve=\d+/.test(url.toString()));
  await page.waitForFunction(() => document.querySelector('[data-testid=solve-progress]')?.dataset.state === 'done', null, { timeout: 30_000 });
  await page.getByTestId('itinerary').waitFor();
  return Number(await page.getByTestId('plan-totals').getAttribute('data-km'));
}

describe('Tours on the road in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('five stops sleeping on the road drive fewer km than coming back to Fès each night', async () => {
    const organiser = await souk.page();
    await signIn(organiser, souk.base, 'organisateur@souk.ma', '/organiser/events');
    const tour = await createTour(organiser, 'Tournée des cinq provinces', 10, 14);

    await open(organiser, souk.base, `/organiser/events/${tour}/route`);
    await organiser.waitForSelector('main[data-hydrated="true"]');
    assert.equal(await organiser.getByLabel('Nombre de jours').inputValue(), '5');
    for (const site of SITES) {
      await organiser.getByTestId(`site-${site}`).check();
      await organiser.locator(`#site-${site} input[name$="[must]"]`).check();
    }
    await organiser.getByText('Distances et temps de recherche').click();
    await organiser.getByLabel('Temps de recherche (secondes)').fill('3');
    await organiser.getByTestId('nights-depot').check();
    const back = await solve(organiser);
    assert.equal(await organiser.getByTestId('itinerary-stop').count(), 5);
    assert.equal(await organiser.getByTestId('plan-nights').count(), 0, 'no night away');

    // The same stops, sleeping on the road (the form shows what was asked).
    assert.equal(await organiser.getByTestId(`site-${SITES[0]}`).isChecked(), true);
    await organiser.getByTestId('nights-road').check();
    const road = await solve(organiser);
    assert.equal(await organiser.getByTestId('itinerary-stop').count(), 5);
    assert.ok(road < back - 100, `on the road ${road} km, coming back ${back} km`);
    assert.ok(Number(await organiser.getByTestId('plan-nights').innerText()) >= 4, 'nights away counted');
    const itinerary = await organiser.getByTestId('itinerary').innerText();
    assert.match(itinerary, /Nuit à/);
    assert.match(itinerary, /Retour à/, 'home on the last day');
    const days = await organiser.locator('.itinerary-day').count();
    assert.equal(await organiser.locator('[data-testid=map-day]').count(), days, 'one line per day');
    await organiser.screenshot({ path: 'end2end/test-results/tour-on-the-road.png', fullPage: true });
    await organiser.setViewportSize({ width: 360, height: 800 });
    await organiser.screenshot({ path: 'end2end/test-results/tour-on-the-road-360.png', fullPage: true });
    await organiser.setViewportSize({ width: 1280, height: 800 });

    await organiser.getByTestId('accept-plan').click();
    await organiser.getByTestId('plan-accepted').waitFor();
    await open(organiser, souk.base, `/organiser/events/${tour}`);
    await organiser.waitForFunction(() => document.querySelectorAll('[data-testid=planner-stops] li').length === 5);
    assert.equal(await organiser.getByTestId('tour-breaches').count(), 0, 'the accepted plan keeps its rules');
    const gpx = await (await organiser.request.get(`${souk.base}/api/v1/events/${tour}/route.gpx`)).text();
    assert.equal((gpx.match(/<wpt /g) ?? []).length, 5);
    assert.equal((gpx.match(/<rte>/g) ?? []).length, days, 'a route per day of the itinerary');
  });

  test('a moved stop reaches its buyer, who moves the order; the packing list follows', async () => {
    const listing = await (await fetch(`${souk.base}/api/v1/products?province=sefrou&in_stock=1`)).json();
    const product = listing.items[0].id;
    const buyer = await souk.page();
    await signIn(buyer, souk.base, 'acheteur@souk.ma', '/');
    await addToCart(buyer, souk.base, product, 1);
    await checkoutAtSefrou(buyer, souk.base, 'cash');
    await buyer.waitForURL(/\/orders\/\d+$/);
    const order = buyer.url().split('/').pop();

    // The organiser sees whom the Sefrou stop reaches, and moves it an hour later.
    const organiser = await souk.page();
    await signIn(organiser, souk.base, 'organisateur@souk.ma', '/organiser/events');
    await organiser.getByRole('link', { name: /tournée d'hiver/ }).first().click();
    await organiser.waitForSelector('main[data-hydrated="true"]');
    const winter = organiser.url().split('/').pop();
    // The route planner proposes Sefrou's load from what was ordered there.
    await open(organiser, souk.base, `/organiser/events/${winter}/route`);
    assert.match(await organiser.getByTestId('orders-load-sefrou-souk').innerText(), /Commandes : [1-9]\d* kg|lignes sans poids/);
    await open(organiser, souk.base, `/organiser/events/${winter}`);
    await organiser.waitForSelector('main[data-hydrated="true"]');
    const stop = organiser.getByTestId('planner-stop').filter({ hasText: 'Sefrou' }).first();
    await stop.getByTestId('stop-buyers').waitFor();
    assert.match(await stop.getByTestId('stop-buyers').innerText(), /^[1-9]\d* acheteur\(s\)/);
    await stop.getByText('Déplacer', { exact: true }).click();
    await stop.getByLabel('Ouverture').fill('10:00');
    await stop.getByLabel('Fermeture').fill('15:00');
    await stop.getByTestId('stop-move-save').click();
    await organiser.getByTestId('planner-stop').filter({ hasText: '10:00' }).first().waitFor();
    await organiser.getByTestId('planner-stop').filter({ hasText: 'Sefrou' }).first().getByText('Déplacer', { exact: true }).click();
    await organiser.screenshot({ path: 'end2end/test-results/stop-moved.png', fullPage: true });

    // The buyer reads it, follows the link, and moves the order to another stop.
    await open(buyer, souk.base, '/notifications');
    const message = buyer.getByTestId('notifications').locator('li').filter({ hasText: 'Événement modifié' }).first();
    await message.getByRole('link', { name: 'Voir la commande' }).click();
    await buyer.waitForURL(new RegExp(`/orders/${order}$`));
    await buyer.waitForSelector('main[data-hydrated="true"]');
    const place = await moveOrderFromSefrou(buyer);

    const coop = await souk.page();
    await signIn(coop, souk.base, 'cooperative@souk.ma', '/cooperative/orders');
    const site = place.split(':')[1].split('—')[0].trim();
    const list = coop.getByTestId('packing-list').filter({ has: coop.locator(`[data-order="${order}"]`) });
    await list.waitFor();
    assert.match(await list.innerText(), new RegExp(site));
    assert.deepEqual(souk.logs.filter((l) => l.startsWith('pageerror')), []);
  });
});
