// Salons and travelling markets in a real browser: an organiser plans a three-stop tour
// and a salon with stands, a cooperative applies, the organiser accepts it and assigns a
// stand, and a buyer finds the tour's stop in the calendar, on the map and near them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { day, open, signIn, startSouk } from './support.mjs';

/** Fills the new-event form and creates a draft; returns the planner's event id. */
async function createEvent(page, base, { kind, name, venue, from, to, capacity }) {
  await open(page, base, '/organiser/events');
  const form = page.getByTestId('event-form');
  await form.getByLabel('Type').selectOption(kind);
  await form.getByLabel('Nom (français)').fill(name);
  if (venue) await form.getByLabel('Lieu (salon)').selectOption({ label: venue });
  await form.getByLabel('Début').fill(day(from));
  await form.getByLabel('Fin').fill(day(to));
  await form.getByLabel('Ouverture').fill('09:00');
  await form.getByLabel('Fermeture').fill('18:00');
  await form.getByLabel('Capacité (coopératives)').fill(capacity);
  await form.getByRole('button', { name: 'Créer (brouillon)' }).click();
  await page.waitForURL(/\/organiser\/events\/\d+$/);
  await page.getByTestId('event-planner').waitFor();
  return page.url().split('/').pop();
}

async function advance(page, label, status) {
  await page.getByRole('button', { name: label }).click();
  await page.waitForFunction((s) => document.querySelector('[data-testid=planner-status]')?.textContent === s, status);
}

describe('Salons and travelling markets in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('plan a tour and a salon, apply, accept, assign a stand, and find the stop as a buyer', async () => {
    const organiser = await souk.page();
    await signIn(organiser, souk.base, 'organisateur@souk.ma', '/organiser/events');

    // A tour of three stops.
    const tour = await createEvent(organiser, souk.base, { kind: 'tour', name: 'Tournée des hauts plateaux', from: 3, to: 6, capacity: '6' });
    const stops = organiser.getByTestId('stop-form');
    for (const [offset, site] of [[3, 'Souk hebdomadaire de Missour — Boulemane'], [4, 'Esplanade des thermes — Moulay Yacoub'], [5, "Souk d'Azrou — Ifrane"]]) {
      await stops.getByLabel('Site').selectOption({ label: site });
      await stops.getByLabel('Jour').fill(day(offset));
      await stops.getByLabel('Ouverture').fill('09:00');
      await stops.getByLabel('Fermeture').fill('13:00');
      await stops.getByRole('button', { name: 'Ajouter une étape' }).click();
      await organiser.waitForFunction((n) => document.querySelectorAll('[data-testid=planner-stops] li').length === n, offset - 2);
    }
    // A stop outside the tour's dates is refused beside its field.
    await stops.getByLabel('Site').selectOption({ label: 'Souk de Sefrou — Sefrou' });
    await stops.getByLabel('Jour').fill(day(9));
    await stops.getByRole('button', { name: 'Ajouter une étape' }).click();
    await stops.locator('.field-error').waitFor();
    assert.match(await stops.locator('.field-error').innerText(), /en dehors des dates de la tournée/);
    await advance(organiser, 'Ouvrir les candidatures', 'Candidatures ouvertes');
    await advance(organiser, 'Publier', 'Publié');

    // A salon with six stands, open to applications.
    const salon = await createEvent(organiser, souk.base, { kind: 'salon', name: 'Salon du terroir de Fès', venue: 'Parc des expositions de Fès — Fès', from: 10, to: 12, capacity: '10' });
    const stands = organiser.getByTestId('stands-form');
    await stands.getByLabel('Nombre de stands').fill('6');
    await stands.getByLabel('Surface (m²)').fill('9');
    await stands.getByLabel('Frais par stand (MAD)').fill('200');
    await stands.getByRole('button', { name: 'Ajouter des stands' }).click();
    await organiser.getByTestId('stand-6').waitFor();
    await advance(organiser, 'Ouvrir les candidatures', 'Candidatures ouvertes');

    // The cooperative applies with what it brings.
    const member = await souk.page();
    await signIn(member, souk.base, 'cooperative@souk.ma', '/cooperative/markets');
    await member.getByTestId('open-events').getByRole('link', { name: 'Salon du terroir de Fès' }).click();
    await member.waitForURL(new RegExp(`/markets/${salon}`));
    await member.waitForSelector('main[data-hydrated="true"]');
    const apply = member.getByTestId('apply-form');
    await apply.getByRole('button', { name: 'Envoyer la candidature' }).click();
    await apply.locator('.field-error').waitFor();
    await apply.getByLabel("Huile d'olive").check();
    await apply.getByLabel('Conserves et confitures').check();
    await apply.getByRole('button', { name: 'Envoyer la candidature' }).click();
    await member.getByTestId('application-status').waitFor();
    assert.match(await member.getByTestId('application-status').innerText(), /En attente d'examen/);

    // The organiser accepts it and gives it stand 2.
    await open(organiser, souk.base, `/organiser/events/${salon}`);
    const row = organiser.locator('[data-testid=applications] tbody tr', { hasText: 'Zitoun Sefrou' });
    await row.locator('select[name=status]').selectOption('accepted');
    await row.getByRole('button', { name: 'Décider' }).click();
    await organiser.waitForFunction(() => /Acceptée/.test(document.querySelector('[data-testid=applications]')?.textContent ?? ''));
    const stand = organiser.getByTestId('stand-2');
    await organiser.waitForFunction(() => document.querySelectorAll('[data-testid=stand-2] select option').length > 1);
    await stand.locator('select').selectOption({ label: 'Coopérative Zitoun Sefrou' });
    await stand.getByRole('button', { name: 'Attribuer' }).click();
    await organiser.waitForFunction(() => /Zitoun Sefrou/.test(document.querySelector('[data-testid=stand-2]')?.textContent ?? ''));
    await organiser.screenshot({ path: 'end2end/test-results/salon-planner.png', fullPage: true });

    // The cooperative is told, in the app.
    await open(member, souk.base, '/notifications');
    const messages = await member.getByTestId('notifications').innerText();
    assert.match(messages, /Stand attribué/);
    assert.match(messages, /Décision sur votre candidature/);

    // A buyer finds the tour's stop in the calendar, on the map and near them.
    const buyer = await souk.page({ geolocation: { latitude: 33.45, longitude: -5.2 }, permissions: ['geolocation'] });
    await open(buyer, souk.base, '/markets?province=ifrane');
    const list = await buyer.getByTestId('calendar-list').innerText();
    assert.match(list, /Tournée des hauts plateaux/);
    assert.match(list, /Souk d'Azrou/);
    assert.ok(await buyer.locator(`[data-testid=region-map] a[href="/markets/${tour}"]`).count() >= 1, 'the stop is on the map');
    await buyer.screenshot({ path: 'end2end/test-results/calendar.png', fullPage: true });
    await open(buyer, souk.base, '/markets/near');
    await buyer.getByTestId('locate').click();
    await buyer.waitForURL(/lat=33\.45/);
    await buyer.getByTestId('nearby-list').waitFor();
    const first = await buyer.getByTestId('nearby-list').locator('li').first().innerText();
    assert.match(first, /Souk d'Azrou/);
    assert.match(first, /\d+,\d km/);
    await buyer.screenshot({ path: 'end2end/test-results/near-me.png', fullPage: true });
  });
});
