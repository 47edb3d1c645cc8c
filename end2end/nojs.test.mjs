// The same paths with JavaScript turned off: every page is HTML and every form a plain
// post, so a buyer on a phone that has not (or will not) run the script still shops,
// a cooperative still hands over, and refusals still come back beside their fields.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { day, openPlain, signIn, startSouk } from './support.mjs';

describe('Souk without JavaScript', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('a buyer searches in Arabic, filters by province, reserves for pickup paying cash, and the cooperative hands over by code', async () => {
    const buyer = await souk.page({ javaScriptEnabled: false });
    await signIn(buyer, souk.base, 'acheteur@souk.ma', '/', { script: false });
    assert.equal(await buyer.locator('main[data-hydrated="true"]').count(), 0, 'no script ran');

    // Arabic, then a search typed in Arabic and a province chosen in the filters.
    await openPlain(buyer, souk.base, `/lang/ar?next=${encodeURIComponent('/products')}`);
    await buyer.locator('html[dir="rtl"][lang="ar"]').waitFor({ state: 'attached' });
    const filters = buyer.getByTestId('catalogue-filters');
    await filters.locator('input[name=q]').fill('زيت');
    await filters.getByTestId('filters-toggle').click();
    await filters.locator('select[name=province]').selectOption('sefrou');
    await filters.locator('button[type=submit]').first().click();
    await buyer.waitForURL(/q=/);
    assert.match(buyer.url(), /province=sefrou/);
    const cards = buyer.getByTestId('product-card');
    assert.ok(await cards.count() >= 1, 'oil found in Sefrou');
    assert.match(await cards.first().innerText(), /زيت/);

    // Back in French: over the stock is refused beside the line, then two are reserved.
    const listing = await (await fetch(`${souk.base}/api/v1/products?province=sefrou&in_stock=1`)).json();
    const product = listing.items.find((p) => p.available >= 2 && p.available < 1000);
    await openPlain(buyer, souk.base, `/lang/fr?next=${encodeURIComponent(`/products/${product.id}`)}`);
    const add = buyer.getByTestId('add-to-cart');
    await add.getByLabel('Quantité').fill('2');
    await add.getByRole('button', { name: 'Ajouter au panier' }).click();
    await buyer.getByTestId('added').waitFor();

    // The cart asks for more than there is: the checkout refuses it beside the line.
    await openPlain(buyer, souk.base, '/cart');
    const line = buyer.getByTestId('cart-line').first();
    await line.getByLabel('Quantité').fill(String(product.available + 1));
    await line.getByRole('button', { name: 'Mettre à jour' }).click();
    await buyer.getByTestId('cart-line').first().waitFor();
    const pickup = buyer.getByLabel('Lieu de retrait');
    const stop = await pickup.locator('option', { hasText: 'Sefrou' }).first().getAttribute('value');
    await pickup.selectOption(stop);
    await buyer.getByTestId('payment-cash').check();
    await buyer.getByTestId('place-order').click();
    const refusal = buyer.getByTestId('cart-line').first().getByTestId('line-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /stock|disponible/i);
    assert.equal(await buyer.getByTestId('cart-line').count(), 1, 'nothing was ordered');

    // Two, then: the order page with its pickup code.
    await buyer.getByTestId('cart-line').first().getByLabel('Quantité').fill('2');
    await buyer.getByTestId('cart-line').first().getByRole('button', { name: 'Mettre à jour' }).click();
    await buyer.getByLabel('Lieu de retrait').selectOption(stop);
    await buyer.getByTestId('payment-cash').check();
    await buyer.getByTestId('place-order').click();
    await buyer.waitForURL(/\/orders\/\d+$/);
    const order = buyer.url().split('/').pop();
    const code = (await buyer.getByTestId('pickup-code').innerText()).trim();
    assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);
    assert.equal(await buyer.getByTestId('part-status').innerText(), 'Commandée');

    // The cooperative types the code at its stall.
    const coop = await souk.page({ javaScriptEnabled: false });
    await signIn(coop, souk.base, 'cooperative@souk.ma', '/cooperative/orders', { script: false });
    const row = coop.locator(`[data-testid=part][data-order="${order}"]`).first();
    await row.getByLabel('Code de retrait').fill('ZZZZZZ');
    await row.getByRole('button', { name: 'Remettre' }).click();
    await coop.getByTestId('code-error').waitFor();
    assert.match(await coop.getByTestId('code-error').innerText(), /pas celui de la commande/);
    await coop.locator(`[data-testid=part][data-order="${order}"]`).first().getByLabel('Code de retrait').fill(code.toLowerCase());
    await coop.locator(`[data-testid=part][data-order="${order}"]`).first().getByRole('button', { name: 'Remettre' }).click();
    await coop.getByTestId('handed-over').waitFor();
    assert.equal(await coop.locator(`[data-testid=packing-list] [data-order="${order}"]`).count(), 0);

    await openPlain(buyer, souk.base, `/orders/${order}`);
    assert.equal(await buyer.getByTestId('part-status').innerText(), 'Remise');
    await buyer.screenshot({ path: 'end2end/test-results/nojs-order.png', fullPage: true });
  });

  test('an organiser adds a stop outside the tour\'s dates and sees the refusal beside the field', async () => {
    const organiser = await souk.page({ javaScriptEnabled: false });
    await signIn(organiser, souk.base, 'organisateur@souk.ma', '/organiser/events', { script: false });
    const form = organiser.getByTestId('event-form');
    await form.getByLabel('Type').selectOption('tour');
    await form.getByLabel('Nom (français)').fill('Tournée sans script');
    await form.getByLabel('Début').fill(day(3));
    await form.getByLabel('Fin').fill(day(4));
    await form.getByLabel('Ouverture').fill('09:00');
    await form.getByLabel('Fermeture').fill('13:00');
    await form.getByLabel('Capacité (coopératives)').fill('5');
    await form.getByRole('button', { name: 'Créer (brouillon)' }).click();
    await organiser.waitForURL(/\/organiser\/events\/\d+$/);

    const stops = organiser.getByTestId('stop-form');
    await stops.getByLabel('Site').selectOption({ label: 'Souk de Sefrou — Sefrou' });
    await stops.getByLabel('Jour').fill(day(9));
    await stops.getByLabel('Ouverture').fill('09:00');
    await stops.getByLabel('Fermeture').fill('13:00');
    await stops.getByRole('button', { name: 'Ajouter une étape' }).click();
    await organiser.getByTestId('stop-form').locator('.field-error').waitFor();
    assert.match(await organiser.getByTestId('stop-form').locator('.field-error').innerText(), /en dehors des dates de la tournée/);
    assert.equal(await organiser.locator('[data-testid=planner-stops] li').count(), 0, 'no stop was added');

    await stops.getByLabel('Site').selectOption({ label: 'Souk de Sefrou — Sefrou' });
    await organiser.getByTestId('stop-form').getByLabel('Jour').fill(day(3));
    await organiser.getByTestId('stop-form').getByLabel('Ouverture').fill('09:00');
    await organiser.getByTestId('stop-form').getByLabel('Fermeture').fill('13:00');
    await organiser.getByTestId('stop-form').getByRole('button', { name: 'Ajouter une étape' }).click();
    await organiser.locator('[data-testid=planner-stops] li').first().waitFor();
    assert.deepEqual(souk.logs.filter((l) => l.startsWith('pageerror')), []);
  });
});
