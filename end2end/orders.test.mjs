// Orders in a real browser: a buyer reserves figs... well, Sefrou's produce, for the tour's
// stop in Sefrou and pays cash at hand-over with the pickup code; another buyer pays by
// card through the Stripe-compatible test server; the cooperative sees both on its
// packing list, refuses a wrong code and hands over with the right one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addToCart, checkoutAtSefrou, open, signIn, startSouk } from './support.mjs';

describe('Orders and payments in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk({ stripe: true }); });
  after(async () => { await souk?.stop(); });

  test('reserve for a stop, pay cash with the pickup code or by card, and pack for the stop', async () => {
    // A product of the Sefrou cooperative, which takes part in the tour's Sefrou stop.
    const listing = await (await fetch(`${souk.base}/api/v1/products?province=sefrou&in_stock=1`)).json();
    const product = listing.items[0].id;

    // The demo buyer reserves two and will pay cash.
    const cash = await souk.page();
    await signIn(cash, souk.base, 'acheteur@souk.ma', '/');
    await addToCart(cash, souk.base, product, 2);
    await checkoutAtSefrou(cash, souk.base, 'cash');
    await cash.waitForURL(/\/orders\/\d+$/);
    await cash.waitForSelector('main[data-hydrated="true"]');
    const cashOrder = cash.url().split('/').pop();
    const code = (await cash.getByTestId('pickup-code').innerText()).trim();
    assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);
    assert.equal(await cash.getByTestId('pickup-qr').locator('svg').count(), 1);
    assert.equal(await cash.getByTestId('part-status').innerText(), 'Commandée');
    assert.match(await cash.getByTestId('pickup-place').innerText(), /Sefrou/);

    // A second buyer, registered through the API, pays one by card.
    const registered = await fetch(`${souk.base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: souk.base },
      body: JSON.stringify({ email: 'karim@example.ma', password: 'Figues-de-Taounate-2026', display_name: 'Karim Alaoui' }),
    });
    assert.equal(registered.status, 201);
    const token = registered.headers.get('set-cookie').match(/souk_session=([^;]+)/)[1];
    const card = await souk.page();
    await card.context().addCookies([{ name: 'souk_session', value: token, url: souk.base }]);
    await addToCart(card, souk.base, product, 1);
    await checkoutAtSefrou(card, souk.base, 'card');
    // The test server's hosted payment page, then back to the order, paid.
    await card.waitForURL(/\/pay\/cs_test_/);
    assert.match(await card.locator('#amount').innerText(), /MAD/);
    await card.getByRole('button', { name: 'Payer' }).click();
    await card.waitForURL(/\/orders\/\d+\?paid=1$/);
    await card.waitForSelector('main[data-hydrated="true"]');
    assert.equal(await card.getByTestId('payment-status').innerText(), 'Payée par carte');
    assert.equal(await card.getByTestId('part-status').innerText(), 'Commandée');
    const cardOrder = new URL(card.url()).pathname.split('/').pop();

    // The cooperative's packing list for the stop holds both orders: three units.
    const coop = await souk.page();
    await signIn(coop, souk.base, 'cooperative@souk.ma', '/cooperative/orders');
    const list = coop.getByTestId('packing-list').filter({ hasText: 'Sefrou' });
    await list.waitFor();
    assert.equal(await list.getByTestId('packing-quantity').first().innerText(), '3');
    assert.equal(await list.locator(`[data-testid=part][data-order="${cashOrder}"]`).count(), 1);
    assert.equal(await list.locator(`[data-testid=part][data-order="${cardOrder}"]`).count(), 1);

    // Hand-over at the stall: a wrong code is refused, the buyer's code is accepted.
    const row = list.locator(`[data-testid=part][data-order="${cashOrder}"]`);
    await row.getByLabel('Code de retrait').fill('ZZZZZZ');
    await row.getByRole('button', { name: 'Remettre' }).click();
    await coop.getByTestId('code-error').waitFor();
    assert.match(await coop.getByTestId('code-error').innerText(), /pas celui de la commande/);
    await row.getByLabel('Code de retrait').fill(code.toLowerCase());
    await row.getByRole('button', { name: 'Remettre' }).click();
    await coop.getByTestId('handed-over').waitFor();
    // It leaves the packing list; the card order stays to be handed over.
    await coop.waitForFunction((id) => !document.querySelector(`[data-testid=packing-list] [data-order="${id}"]`), cashOrder);
    assert.equal(await coop.locator(`[data-testid=packing-list] [data-order="${cardOrder}"]`).count(), 1);

    // The buyer's timeline shows the hand-over.
    await open(cash, souk.base, `/orders/${cashOrder}`);
    assert.equal(await cash.getByTestId('part-status').innerText(), 'Remise');
    assert.match(await cash.getByTestId('timeline').innerText(), /Commandée[\s\S]*Remise/);
    await cash.screenshot({ path: 'end2end/test-results/order-handed-over.png', fullPage: true });
    await coop.screenshot({ path: 'end2end/test-results/packing-list.png', fullPage: true });
    assert.deepEqual(souk.logs.filter((l) => l.startsWith('pageerror')), []);
  });
});
