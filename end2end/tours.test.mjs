// Tour routing in a real browser: an organiser plans a three-day tour over three
// provinces, watches the solver's progress, accepts the dated itinerary, publishes the
// tour, and a buyer finds its stops in the calendar.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTour, open, signIn, startSouk } from './support.mjs';

describe('Tour routing in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('plan a three-day tour over the provinces, watch it solve, accept it, and find it in the calendar', async () => {
    const organiser = await souk.page();
    await signIn(organiser, souk.base, 'organisateur@souk.ma', '/organiser/events');
    const tour = await createTour(organiser, 'Tournée du Rif et du Moyen Atlas', 10, 12);

    // The route planner: one site in each of Taza, Taounate and Sefrou, over three days.
    await organiser.getByTestId('open-route-planner').click();
    await organiser.waitForURL(new RegExp(`/organiser/events/${tour}/route$`));
    await organiser.waitForSelector('main[data-hydrated="true"]');
    assert.equal(await organiser.getByLabel('Nombre de jours').inputValue(), '3');
    for (const province of ['taza', 'taounate', 'sefrou']) {
      await organiser.getByTestId(`province-${province}`).check();
    }
    // A site picked on the map: optional, it fits only if the days allow (they do not).
    const azrou = organiser.locator('[data-testid=region-map] a.map-marker', { has: organiser.locator('title', { hasText: "Souk d'Azrou" }) });
    await azrou.click();
    assert.equal(await organiser.getByTestId('site-azrou-souk').isChecked(), true);
    await organiser.getByText('Distances et temps de recherche').click();
    await organiser.getByLabel('Temps de recherche (secondes)').fill('4');
    await organiser.getByLabel('Temps de recherche (secondes)').blur();
    await organiser.getByTestId('solve').click();

    // Progress while it runs: the best distance so far, then done.
    await organiser.waitForFunction(() => {
      const p = document.querySelector('[data-testid=solve-progress]');
      return p?.dataset.state === 'running' && /\d+,\d km/.test(p.textContent);
    });
    await organiser.screenshot({ path: 'end2end/test-results/tour-solving.png', fullPage: true });
    await organiser.waitForFunction(() => document.querySelector('[data-testid=solve-progress]')?.dataset.state === 'done', null, { timeout: 20_000 });
    const itinerary = organiser.getByTestId('itinerary');
    await itinerary.waitFor();
    assert.equal(await organiser.getByTestId('itinerary-stop').count(), 3);
    const text = await itinerary.innerText();
    for (const site of ['Place de Taza-Haut', 'Souk hebdomadaire de Taounate', 'Souk de Sefrou']) {
      assert.match(text, new RegExp(site));
    }
    assert.match(await organiser.getByTestId('plan-totals').innerText(), /\d+,\d km/);
    assert.ok(await organiser.locator('[data-testid=map-day]').count() >= 1, 'the route is drawn per day');
    assert.equal(await organiser.locator('[data-testid=region-map] a.map-marker').count(), 3, 'numbered stops');
    assert.ok(await organiser.evaluate(() => [...document.querySelectorAll('[data-testid=region-map] a')].every((a) => a.namespaceURI === 'http://www.w3.org/2000/svg')), 'the map drawn in the browser is SVG throughout');
    assert.match(await organiser.getByTestId('unvisited').innerText(), /Souk d'Azrou/);
    await organiser.screenshot({ path: 'end2end/test-results/tour-plan.png', fullPage: true });

    await organiser.getByTestId('accept-plan').click();
    await organiser.getByTestId('plan-accepted').waitFor();

    // Back on the tour: three dated stops, nothing broken; open and publish.
    await open(organiser, souk.base, `/organiser/events/${tour}`);
    await organiser.waitForFunction(() => document.querySelectorAll('[data-testid=planner-stops] li').length === 3);
    assert.equal(await organiser.getByTestId('tour-breaches').count(), 0);
    for (const [label, status] of [['Ouvrir les candidatures', 'Candidatures ouvertes'], ['Publier', 'Publié']]) {
      await organiser.getByRole('button', { name: label }).click();
      await organiser.waitForFunction((s) => document.querySelector('[data-testid=planner-status]')?.textContent === s, status);
    }

    // A buyer sees the dated stops in the calendar.
    const buyer = await souk.page();
    await open(buyer, souk.base, `/markets?province=taounate`);
    const list = await buyer.getByTestId('calendar-list').innerText();
    assert.match(list, /Tournée du Rif et du Moyen Atlas/);
    assert.match(list, /Souk hebdomadaire de Taounate/);
    const gpx = await buyer.request.get(`${souk.base}/api/v1/events/${tour}/route.gpx`);
    assert.equal(gpx.status(), 200);
    assert.equal(((await gpx.text()).match(/<wpt /g) ?? []).length, 3);
  });
});
