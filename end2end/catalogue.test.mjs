// The catalogue in a real browser: a cooperative member lists a product with a photo
// and stock, and a buyer finds it by an Arabic search and by filters.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { open, startSouk } from './support.mjs';

// A 1×1 PNG: a real image, as a phone would upload.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

describe('The catalogue in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('a member lists a product with a photo and stock; a buyer finds it in Arabic and by filters', async () => {
    const member = await souk.page();
    await open(member, souk.base, '/login?next=/cooperative/products/new');
    await member.getByLabel('Adresse e-mail').fill('cooperative@souk.ma');
    await member.getByLabel('Mot de passe').fill('souk-demo-2026');
    await member.getByRole('button', { name: 'Se connecter' }).click();
    await member.waitForURL(`${souk.base}/cooperative/products/new`);
    await member.waitForSelector('main[data-hydrated="true"]');

    const form = member.getByTestId('product-form');
    await form.getByLabel('Référence').fill('MIEL-EUPHORBE-250');
    await form.getByLabel('Catégorie').selectOption('honey');
    await form.getByLabel('Nom (français)').fill("Miel d'euphorbe");
    await form.getByLabel('Nom (arabe)').fill('عسل الدغموس');
    await form.getByLabel('Prix (MAD)').fill('135,50');
    await form.getByLabel('Unité de vente').selectOption('jar');
    await form.getByLabel('Contenu net').fill('250');
    await form.getByLabel('Seuil d\'alerte de stock').fill('5');
    await form.getByRole('button', { name: 'Enregistrer le produit' }).click();
    await member.waitForURL(/\/cooperative\/products\/\d+$/);
    await member.waitForSelector('main[data-hydrated="true"]');
    const productUrl = member.url();
    const id = productUrl.split('/').pop();

    await member.locator('#photo-file').setInputFiles({ name: 'miel.png', mimeType: 'image/png', buffer: PNG });
    await member.getByTestId('photo-form').getByRole('button', { name: 'Envoyer' }).click();
    await member.waitForURL(`${productUrl}?photo=added`);
    await member.waitForSelector('main[data-hydrated="true"]');
    assert.equal(await member.getByTestId('product-photo').count(), 1);

    const receive = member.getByTestId('receive-form');
    await receive.getByLabel('Quantité').fill('20');
    await receive.getByRole('button', { name: 'Enregistrer la réception' }).click();
    await member.waitForFunction(() => document.querySelector('[data-testid=stock-level]')?.textContent === '20');

    const adjust = member.getByTestId('adjust-form');
    await adjust.getByLabel('Variation').fill('-25');
    await adjust.getByLabel('Raison').fill('Inventaire');
    await adjust.getByRole('button', { name: "Enregistrer l'ajustement" }).click();
    await adjust.locator('.field-error').waitFor();
    assert.match(await adjust.locator('.field-error').innerText(), /stock ne peut pas devenir négatif/);

    await adjust.getByLabel('Variation').fill('-3');
    await adjust.getByLabel('Raison').fill('Pots fêlés');
    await adjust.getByRole('button', { name: "Enregistrer l'ajustement" }).click();
    await member.waitForFunction(() => document.querySelector('[data-testid=stock-level]')?.textContent === '17');
    assert.equal(await member.getByTestId('movements').locator('tbody tr').count(), 2);
    await member.screenshot({ path: 'end2end/test-results/product-edit.png', fullPage: true });

    // A buyer who is not signed in searches in Arabic…
    const buyer = await souk.page();
    await open(buyer, souk.base, '/products');
    await buyer.getByLabel('Rechercher').fill('الدغموس');
    await buyer.getByRole('button', { name: 'Rechercher' }).click();
    await buyer.waitForURL(/q=/);
    const cards = buyer.getByTestId('product-card');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 1);
    assert.match(await cards.first().innerText(), /Miel d'euphorbe/);
    assert.match(await cards.first().innerText(), /135,50 MAD/);

    // …and by filters: honey from Sefrou, in stock.
    await open(buyer, souk.base, '/products');
    await buyer.getByTestId('filters-toggle').click();
    await buyer.getByLabel('Catégorie').selectOption('honey');
    await buyer.getByLabel('Province', { exact: true }).selectOption('sefrou');
    await buyer.getByLabel('Seulement en stock').check();
    await buyer.getByRole('button', { name: 'Rechercher' }).click();
    await buyer.waitForURL(/category=honey/);
    await buyer.getByTestId('product-card').first().waitFor();
    const names = await buyer.getByTestId('product-card').allInnerTexts();
    assert.equal(names.length, 1, names.join(' | '));
    await buyer.screenshot({ path: 'end2end/test-results/catalogue.png', fullPage: true });
    await buyer.getByTestId('product-card').first().getByRole('link').first().click();
    await buyer.waitForURL(`${souk.base}/products/${id}`);
    await buyer.getByTestId('availability').waitFor();
    assert.match(await buyer.getByTestId('availability').innerText(), /17/);
    assert.equal(await buyer.locator('.gallery img').count(), 1);

    // Deleting the photo asks first (the page's island, no inline script): declined,
    // nothing happens; confirmed, it is gone.
    await open(member, souk.base, `/cooperative/products/${id}`);
    const asked = [];
    member.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
    await member.getByTestId('product-photo').locator('xpath=..').getByRole('button', { name: 'Supprimer' }).click();
    assert.equal(asked.length, 1);
    assert.equal(await member.getByTestId('product-photo').count(), 1, 'declined: the photo stays');
    member.once('dialog', (d) => { asked.push(d.message()); d.accept(); });
    await member.getByTestId('product-photo').locator('xpath=..').getByRole('button', { name: 'Supprimer' }).click();
    await member.waitForFunction(() => document.querySelectorAll('[data-testid=product-photo]').length === 0);
    assert.equal(asked.length, 2);
    assert.match(asked[0], /photo/i);
  });
});
