// User journeys in a real browser against the real release server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { open, startSouk } from './support.mjs';

const PROVINCES = ['Fès', 'Meknès', 'Boulemane', 'El Hajeb', 'Ifrane', 'Moulay Yacoub', 'Sefrou', 'Taounate', 'Taza'];

describe('Souk in Chromium', () => {
  let souk;
  before(async () => { souk = await startSouk(); });
  after(async () => { await souk?.stop(); });

  test('the home page names the nine prefectures and provinces and filters them once hydrated', async () => {
    const page = await souk.page();
    await open(page, souk.base, '/');
    const items = page.getByTestId('province-list').locator('li');
    assert.equal(await items.count(), 9);
    const text = await page.getByTestId('province-list').innerText();
    for (const name of PROVINCES) assert.ok(text.includes(name), `${name} missing from ${text}`);
    await page.getByTestId('province-filter').fill('taza');
    // The island hides what does not match (the server sends every province, `?q=` without script).
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=province-list] li:not([hidden])').length === 1);
    assert.match(await page.getByTestId('province-list').locator('li:not([hidden])').innerText(), /Taza/);
    await page.screenshot({ path: 'end2end/test-results/home.png', fullPage: true });
  });

  test('a buyer registers, signs out, signs in, switches to Arabic and signs out', async () => {
    const page = await souk.page();
    await open(page, souk.base, '/register');
    await page.getByLabel('Nom affiché').fill('Aïcha Berrada');
    await page.getByLabel('Adresse e-mail').fill('aicha@example.ma');
    await page.getByLabel('Mot de passe').fill('figues-taounate-2026');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.waitForURL(`${souk.base}/account`);
    await page.getByTestId('account').getByText('Aïcha Berrada').waitFor();

    await page.getByTestId('logout').click();
    await page.waitForURL(`${souk.base}/`);
    await page.getByRole('link', { name: 'Se connecter' }).waitFor();

    await open(page, souk.base, '/login');
    await page.getByLabel('Adresse e-mail').fill('aicha@example.ma');
    await page.getByLabel('Mot de passe').fill('figues-taounate-2026');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Mon compte' }).waitFor();

    await page.getByTestId('lang-ar').click();
    await page.waitForSelector('html[dir="rtl"][lang="ar"]');
    await page.waitForSelector('main[data-hydrated="true"]');
    await page.getByRole('link', { name: 'حسابي' }).waitFor();
    await page.screenshot({ path: 'end2end/test-results/arabic.png', fullPage: true });

    await page.getByTestId('logout').click();
    await page.getByRole('link', { name: 'تسجيل الدخول' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(me, 401, 'the session is gone on the server');
  });

  test('registration errors show beside their fields in the page language', async () => {
    const page = await souk.page();
    await open(page, souk.base, '/register');
    await page.getByLabel('Nom affiché').fill('Salma');
    await page.getByLabel('Adresse e-mail').fill('acheteur@souk.ma');
    await page.getByLabel('Mot de passe').fill('court');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Le mot de passe doit contenir au moins 10 caractères.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'register-password',
      'the refused form comes back with focus on its first wrong field');
    await page.getByLabel('Mot de passe').fill('huile-olive-sefrou-7');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Un compte existe déjà avec cette adresse e-mail.').waitFor();
    assert.equal(await page.getByLabel('Adresse e-mail').getAttribute('aria-invalid'), 'true');
  });

  test('an admin creates a cooperative account that then appears in the user list', async () => {
    const page = await souk.page();
    await open(page, souk.base, '/login?next=/admin/users');
    await page.getByLabel('Adresse e-mail').fill('admin@souk.ma');
    await page.getByLabel('Mot de passe').fill('souk-demo-2026');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${souk.base}/admin/users`);
    await page.waitForSelector('main[data-hydrated="true"]');
    const form = page.getByTestId('create-user-form');
    await form.getByLabel('Nom affiché').fill('Coopérative Tighza Taza');
    await form.getByLabel('Adresse e-mail').fill('tighza@coop.ma');
    await form.getByLabel('Mot de passe').fill('miel-de-taza-2026');
    await form.getByLabel('Rôle').selectOption('cooperative');
    await form.getByRole('button', { name: "Créer l'utilisateur" }).click();
    await page.getByText('Utilisateur créé.').waitFor();
    await page.getByRole('cell', { name: 'tighza@coop.ma' }).waitFor();
  });
});
