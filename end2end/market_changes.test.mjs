// When the market changes after a reservation, in Chromium: the buyer moves an order to
// another stop of the tour from the order page and the cooperative's packing list
// follows; the organiser then cancels the tour, the buyer reads why in the messages and
// cancels the order, which gives the stock back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addToCart, checkoutAtSefrou, moveOrderFromSefrou, open, signIn, startSouk } from './support.mjs';

describe('Market changes reach buyers in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('move an order to another stop, then read the cancellation and cancel', async () => {
    const listing = await (await fetch(`${souk.base}/api/v1/products?province=sefrou&in_stock=1`)).json();
    const product = listing.items[0].id;
    const stockBefore = listing.items[0].available;

    const buyer = await souk.page();
    await signIn(buyer, souk.base, 'acheteur@souk.ma', '/');
    await addToCart(buyer, souk.base, product, 2);
    await checkoutAtSefrou(buyer, souk.base, 'cash');
    await buyer.waitForURL(/\/orders\/\d+$/);
    await buyer.waitForSelector('main[data-hydrated="true"]');
    const order = buyer.url().split('/').pop();
    assert.match(await buyer.getByTestId('pickup-place').innerText(), /Sefrou/);

    // Another stop of the tour, chosen on the order page.
    const place = await moveOrderFromSefrou(buyer);
    assert.match(await buyer.getByTestId('timeline').innerText(), /Lieu de retrait changé/);

    // The cooperative packs it for that stop now, and was told.
    const coop = await souk.page();
    await signIn(coop, souk.base, 'cooperative@souk.ma', '/cooperative/orders');
    const site = place.split(':')[1].split('—')[0].trim();
    const list = coop.getByTestId('packing-list').filter({ has: coop.locator(`[data-order="${order}"]`) });
    await list.waitFor();
    assert.match(await list.innerText(), new RegExp(site));
    await open(coop, souk.base, '/notifications');
    assert.match(await coop.getByTestId('notifications').innerText(), /Commande déplacée/);

    // The organiser cancels the whole tour, with a reason.
    const organiser = await souk.page();
    await signIn(organiser, souk.base, 'organisateur@souk.ma', '/organiser/events');
    await organiser.getByRole('link', { name: /tournée d'hiver/ }).first().click();
    await organiser.waitForSelector('main[data-hydrated="true"]');
    await organiser.getByText("Annuler l'événement…").click();
    await organiser.getByLabel("Motif de l'annulation").fill('Neige sur le Moyen Atlas : routes fermées.');
    await organiser.getByTestId('cancel-event').click();
    await organiser.getByText('Neige sur le Moyen Atlas').first().waitFor();

    // The buyer reads it, follows the link to the order, and cancels it.
    await open(buyer, souk.base, '/notifications');
    const message = buyer.getByTestId('notifications').locator('li').filter({ hasText: 'Événement annulé' }).first();
    assert.match(await message.innerText(), /Neige sur le Moyen Atlas/);
    await message.getByRole('link', { name: 'Voir la commande' }).click();
    await buyer.waitForURL(new RegExp(`/orders/${order}$`));
    await buyer.waitForSelector('main[data-hydrated="true"]');
    await buyer.getByTestId('market-cancelled').waitFor();
    await buyer.screenshot({ path: 'end2end/test-results/order-market-cancelled.png', fullPage: true });
    await buyer.getByText('Annuler la commande').click();
    await buyer.getByTestId('confirm-cancel').click();
    await buyer.waitForFunction(() => document.querySelector('[data-testid=part-status]')?.textContent === 'Annulée');
    const after = await (await fetch(`${souk.base}/api/v1/products/${product}`)).json();
    assert.equal(after.available, stockBefore, 'the stock came back');
    assert.deepEqual(souk.logs.filter((l) => l.startsWith('pageerror')), []);
  });
});
