import { carePlanFor } from './care-plan-of-own';
import {
	createPersonOfOwn,
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	test
} from './support';

test('"who has looked" shows a worker’s look first, with the young person’s own hidden until asked', async ({
	browser,
	page
}) => {
	const name = `Lou${Date.now() % 100000}`;
	const person = await createPersonOfOwn(name);
	const title = `Plan for ${name}`;
	const plan = await carePlanFor(person.id, title);

	// The young person opens their plan again and again; Priya opens it once.
	const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const yp = await phone.newPage();
	await signIn(yp, person.username);
	for (let i = 0; i < 3; i += 1) {
		await yp.goto(`/documents/${plan}`);
		await expect(yp.getByRole('heading', { level: 1, name: title })).toBeVisible();
	}
	await signIn(page, DEMO.socialWorker.signIn);
	await page.goto(`/documents/${plan}`);
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

	await yp.goto('/who-looked');
	const table = yp.getByRole('table', { name: /Who opened your documents/ });
	const rows = table.locator('tbody tr');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('Priya');
	await expect(rows.first()).toContainText(title);
	await expect(table).not.toContainText(`You (${name})`);
	await expect(yp.getByLabel('Show my own visits too')).not.toBeChecked();
	await expectNoAxeViolations(yp);
	await expectNoHorizontalScroll(yp);

	// Asked for: their own visits too, after Priya's, as one row for the day with a count.
	await yp.getByLabel('Show my own visits too').check();
	await yp.getByRole('button', { name: 'Show', exact: true }).click();
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toContainText('Priya');
	await expect(rows.nth(1)).toContainText(`You (${name})`);
	await expect(rows.nth(1)).toContainText(/\(\d+ times\)/);
	await phone.close();
});
