import pg from 'pg';
import * as Y from 'yjs';
import {
	adminUrl,
	DEMO,
	expect,
	expectNoAxeViolations,
	expectNoHorizontalScroll,
	signIn,
	test
} from './support';

const PRIYA_ID = '00000000-0000-4000-8000-000000000003';

// An action that cannot happen fails with its own message instead of running out the test's time.
function paragraph(text: string): Y.XmlElement {
	const p = new Y.XmlElement('paragraph');
	const t = new Y.XmlText();
	t.insert(0, text);
	p.insert(0, [t]);
	return p;
}

/**
 * A care plan of Sam's that only this test uses (Priya started it), with a first section
 * already written, so tests running side by side never share a document.
 */
async function createCarePlan(
	client: pg.Client,
	title: string
): Promise<{ id: string; doc: Y.Doc }> {
	const doc = new Y.Doc();
	const heading = new Y.XmlElement('heading');
	heading.setAttribute('level', '2');
	const words = new Y.XmlText();
	words.insert(0, 'My wishes and feelings');
	heading.insert(0, [words]);
	doc
		.getXmlFragment('default')
		.insert(0, [heading, paragraph('I want to see my brother every week.')]);
	const { rows } = await client.query<{ id: string }>(
		`insert into public.documents (young_person_id, kind, title, created_by)
		 values ($1, 'care_plan', $2, $3) returning id`,
		[DEMO.youngPerson.id, title, PRIYA_ID]
	);
	const id = rows[0]?.id;
	if (!id) throw new Error('the test document was not created');
	await client.query(
		`insert into public.document_updates (document_id, author_id, update) values ($1, $2, $3)`,
		[id, PRIYA_ID, Buffer.from(Y.encodeStateAsUpdate(doc))]
	);
	return { id, doc };
}

/** Priya writes one more paragraph (as the collab server would store it). */
async function addParagraph(client: pg.Client, id: string, doc: Y.Doc, text: string) {
	const before = Y.encodeStateVector(doc);
	const fragment = doc.getXmlFragment('default');
	fragment.insert(fragment.length, [paragraph(text)]);
	await client.query(
		`insert into public.document_updates (document_id, author_id, update) values ($1, $2, $3)`,
		[id, PRIYA_ID, Buffer.from(Y.encodeStateAsUpdate(doc, before))]
	);
}

test('a social worker and a young person save, compare, sign off and print an agreed version', async ({
	page,
	browser
}, testInfo) => {
	// Two people, two devices, four accessibility checks: longer than the default minute.
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const title = `Sam's plan ${testInfo.project.name} ${Date.now() % 1_000_000}`;
		const { id, doc } = await createCarePlan(client, title);
		const versionsUrl = `/documents/${id}/versions`;

		// Priya, on her phone, sees when the first review is due and saves a first version.
		await signIn(page, DEMO.socialWorker.signIn);
		await page.goto(`/documents/${id}`);
		await expect(page.getByText(/^Next review by \w+day, \d+ \w+ \d{4}\.$/)).toBeVisible();
		await page.getByRole('link', { name: 'Versions and sign-off' }).click();
		await expect(
			page.getByRole('heading', { level: 1, name: `Versions of ${title}` })
		).toBeVisible();
		await expect(page.getByText(/^Next review by /)).toBeVisible();
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);

		// A version needs a name: the error says so, and nothing is saved.
		await page.getByRole('button', { name: 'Save a version' }).click();
		await expect(page.getByRole('alert')).toContainText('Please enter a name for this version.');
		await expect(page.getByLabel('Name of the version')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByText('No versions have been saved yet.')).toBeVisible();

		await page.getByLabel('Name of the version').fill('First draft');
		await page.getByRole('button', { name: 'Save a version' }).click();
		await expect(page.getByRole('status')).toHaveText('Saved the version “First draft”.');

		// More is written, then the agreed version of the review is saved.
		await addParagraph(client, id, doc, 'I want to stay at my school.');
		const agreed = 'Agreed at my review, 12 March';
		await page.getByLabel('Name of the version').fill(agreed);
		await page.getByLabel('This is the copy agreed at a review meeting').check();
		await page.getByRole('button', { name: 'Save a version' }).click();
		await expect(page.getByRole('status')).toHaveText(`Saved the version “${agreed}”.`);
		await expect(page.getByRole('heading', { level: 3, name: agreed })).toBeVisible();
		await expect(page.getByText('Agreed at a review meeting.')).toBeVisible();

		// What changed between the two versions, in words.
		await page.getByRole('button', { name: 'Show what changed' }).click();
		await expect(
			page.getByRole('heading', { level: 2, name: `From “First draft” to “${agreed}”` })
		).toBeVisible();
		await expect(page.getByText('1 part added and 0 parts taken out.')).toBeVisible();
		await expect(page.getByRole('listitem').filter({ hasText: 'Added:' })).toContainText(
			'I want to stay at my school.'
		);
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);

		// Sam, on another device, does not agree, and must say why.
		const other = await browser.newContext({ viewport: { width: 1200, height: 800 } });
		try {
			const sam = await other.newPage();
			await signIn(sam, DEMO.youngPerson.signIn);
			await sam.goto(versionsUrl);
			await sam.getByRole('link', { name: `Read and sign off: ${agreed}` }).click();
			await expect(sam.getByRole('heading', { level: 1, name: agreed })).toBeVisible();
			await expect(sam.getByRole('region', { name: 'What this version says' })).toContainText(
				'I want to stay at my school.'
			);
			await sam.getByLabel("I don't agree").check();
			await sam.getByRole('button', { name: 'Send my answer' }).click();
			await expect(sam.getByRole('alert')).toContainText('Please say why you don’t agree.');
			await expect(sam.getByLabel("If you don't agree, say why")).toHaveAttribute(
				'aria-invalid',
				'true'
			);
			await sam
				.getByLabel("If you don't agree, say why")
				.fill('I want to see my brother more often.');
			await sam.getByRole('button', { name: 'Send my answer' }).click();
			await expect(sam.getByRole('status')).toHaveText(
				'Thank you. Your answer is saved with this version.'
			);
			// The answer is kept: the form is gone.
			await expect(sam.getByRole('button', { name: 'Send my answer' })).toHaveCount(0);
		} finally {
			await other.close();
		}

		// Priya agrees, on the version page at 360 px.
		await page.goto(versionsUrl);
		await page.getByRole('link', { name: `Read and sign off: ${agreed}` }).click();
		await expect(
			page.getByText(/I don't agree, because: I want to see my brother more often\./)
		).toBeVisible();
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);
		await page.getByLabel('I agree', { exact: true }).check();
		await page.getByRole('button', { name: 'Send my answer' }).click();
		await expect(page.getByRole('status')).toHaveText(
			'Thank you. Your answer is saved with this version.'
		);

		// The print view has the content and every sign-off, and hides the navigation in print.
		await page.getByRole('link', { name: 'Print view' }).click();
		const record = page.locator('article.print-record');
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(record).toContainText(agreed);
		await expect(record).toContainText('I want to see my brother every week.');
		await expect(record).toContainText('I want to stay at my school.');
		await expect(
			record.getByRole('listitem').filter({ hasText: 'Sam (young person)' })
		).toContainText("I don't agree, because: I want to see my brother more often.");
		await expect(record.getByRole('listitem').filter({ hasText: 'Priya' })).toContainText(
			'I agree'
		);
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);
		await page.emulateMedia({ media: 'print' });
		await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
		await expect(page.getByRole('button', { name: 'Print this page' })).toBeHidden();
		await expect(record).toBeVisible();
		await page.emulateMedia({ media: 'screen' });

		// The export is a download of the same record.
		const exportUrl = page.url().replace(/\/print$/, '/export');
		const download = await page.request.get(exportUrl);
		expect(download.status()).toBe(200);
		expect(download.headers()['content-type']).toBe('text/html; charset=utf-8');
		expect(download.headers()['content-disposition']).toMatch(/^attachment; filename=".+\.html"$/);
		const html = await download.text();
		expect(html).toContain('I want to stay at my school.');
		expect(html).toContain('I don&#39;t agree, because: I want to see my brother more often.');
		expect(html).toContain('Priya</strong>');

		// Printing and exporting were each written down, in Priya's name.
		await expect
			.poll(async () => {
				const { rows } = await client.query<{ purpose: string }>(
					`select distinct purpose from public.document_reads
					 where document_id = $1 and reader_id = $2 and purpose in ('print', 'export')
					 order by purpose`,
					[id, PRIYA_ID]
				);
				return rows.map((r) => r.purpose);
			})
			.toEqual(['export', 'print']);
	} finally {
		await client.end();
	}
});

test('a family member reads versions but cannot save or sign one', async ({ page }, testInfo) => {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const { id } = await createCarePlan(
			client,
			`Jo reads ${testInfo.project.name} ${Date.now() % 1_000_000}`
		);
		const { rows } = await client.query<{ id: string }>(
			`insert into public.document_versions (document_id, name, state, is_review, created_by)
			 values ($1, 'Agreed at the review', '\\x0000', true, $2) returning id`,
			[id, PRIYA_ID]
		);
		const versionId = rows[0]?.id;
		await signIn(page, DEMO.parent.signIn);
		await page.goto(`/documents/${id}/versions`);
		await expect(
			page.getByRole('heading', { level: 3, name: 'Agreed at the review' })
		).toBeVisible();
		await expect(page.getByRole('button', { name: 'Save a version' })).toHaveCount(0);
		await expect(page.getByRole('link', { name: /Read and sign off/ })).toHaveCount(0);
		await page.goto(`/documents/${id}/versions/${versionId}`);
		await expect(page.getByRole('button', { name: 'Send my answer' })).toHaveCount(0);
		// Posting the form anyway is refused with words, not a 500.
		const response = await page.request.post(`/documents/${id}/versions/${versionId}?/signoff`, {
			form: { answer: 'agree' },
			headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
		});
		expect(response.status()).toBe(403);
		const { rows: signed } = await client.query(
			`select 1 from public.document_signoffs where version_id = $1`,
			[versionId]
		);
		expect(signed).toHaveLength(0);
		// A version id that is not a version gives a 404.
		expect((await page.goto(`/documents/${id}/versions/not-a-version`))?.status()).toBe(404);
	} finally {
		await client.end();
	}
});

test('in Welsh, the print view and the export speak Welsh, and the words people wrote stay as written', async ({
	page,
	context
}, testInfo) => {
	const client = new pg.Client({ connectionString: adminUrl() });
	await client.connect();
	try {
		const { id, doc } = await createCarePlan(
			client,
			`Sam's plan in Welsh ${testInfo.project.name} ${Date.now() % 1_000_000}`
		);
		// Versions hold Yjs's V1 encoding, as the collab service saves them.
		const { rows } = await client.query<{ id: string }>(
			`insert into public.document_versions (document_id, name, state, is_review, created_by)
			 values ($1, 'Agreed at the review', $2, true, $3) returning id`,
			[id, Buffer.from(Y.encodeStateAsUpdate(doc)), PRIYA_ID]
		);
		const versionId = rows[0]?.id;
		await client.query(
			`insert into public.document_signoffs (version_id, signer_id, agrees, reason)
			 values ($1, $2, false, 'I want to see my brother more often.')`,
			[versionId, DEMO.youngPerson.id]
		);

		await signIn(page, DEMO.socialWorker.signIn);
		// Welsh on this phone only: chosen after signing in (not with the switch), so Priya's
		// recorded language stays as it is for the tests running beside this one.
		await context.addCookies([{ name: 'language', value: 'cy', url: new URL(page.url()).origin }]);
		const versionUrl = `/documents/${id}/versions/${versionId}`;
		await page.goto(`${versionUrl}/print`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
		await expect(page).toHaveTitle(
			/^Argraffu: Sam's plan in Welsh .*, Agreed at the review – In My Words$/
		);
		const record = page.locator('article.print-record');
		await expect(record.getByRole('heading', { level: 2, name: 'Llofnodi' })).toBeVisible();
		await expect(
			record.getByRole('heading', { level: 2, name: "Beth mae'r ddogfen yn ei ddweud" })
		).toBeVisible();
		await expect(record).toContainText('Cynllun gofal');
		await expect(record).toContainText(
			"Agreed at the review (wedi'i gytuno mewn cyfarfod adolygu)"
		);
		await expect(
			record.getByRole('listitem').filter({ hasText: 'Sam (person ifanc)' })
		).toContainText('Dydw i ddim yn cytuno, oherwydd: I want to see my brother more often.');
		// The document's own words are not translated.
		await expect(record).toContainText('I want to see my brother every week.');
		await expect(page.getByRole('button', { name: "Argraffu'r dudalen hon" })).toBeVisible();
		await expectNoAxeViolations(page);
		await expectNoHorizontalScroll(page);

		// The export is in the language it was asked for in, and says so.
		const download = await page.request.get(`${versionUrl}/export`);
		expect(download.status()).toBe(200);
		expect(download.headers()['content-language']).toBe('cy');
		const html = await download.text();
		expect(html).toContain('<html lang="cy">');
		expect(html).toContain('<dt>Math</dt><dd>Cynllun gofal</dd>');
		expect(html).toContain('<h2 id="signoffs-heading">Llofnodi</h2>');
		expect(html).toMatch(/<dt>Wedi&#39;i chadw<\/dt><dd>\d+ \p{L}+ \d{4} am \d\d:\d\d gan /u);
		expect(html).toContain('I want to see my brother every week.');
	} finally {
		await client.end();
	}
});
