import * as Y from 'yjs';
import { refusalFor } from '../src/lib/collab/own-words.ts';
import { Provenance } from '../src/lib/server/collab/provenance.ts';
import type { Writer } from '../src/lib/server/collab/store.ts';

/**
 * What judging an edit for "own words" costs the collab server. A care plan of ~160 KB in which
 * the young person has written every other paragraph; a social worker types into their own
 * paragraphs, one keystroke per update, and each update is judged before it is applied, as the
 * server does: refused or not (refusalFor), and who wrote each new character (provenance.ts).
 * Compared, in the same run, with applying the same update (Y.applyUpdate), which the server
 * does anyway: the ratio is the extra work per keystroke.
 * Also: a large update (an offline afternoon, ~20 000 keystrokes at once) judged whole.
 */
const FIELD = 'default';
const PARAGRAPHS = 1_400;
const KEYSTROKES = 2_000;

/** Unrounded, so ratios are taken of the real figures, not of rounded thousandths. */
function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return sorted[Math.max(0, index)] ?? NaN;
}

const ms = (value: number) => Math.round(value * 1000) / 1000;
/** null, not Infinity, when applying took no measurable time: JSON has no Infinity. */
const ratio = (judge: number, apply: number) =>
	apply > 0 ? Math.round((judge / apply) * 100) / 100 : null;

function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
	return (doc.getXmlFragment(FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

function sync(from: Y.Doc, to: Y.Doc): void {
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

export default async function ownWordsBench(): Promise<Record<string, unknown>> {
	const worker = new Y.Doc();
	const young = new Y.Doc();
	const blocks: Y.XmlElement[] = [];
	for (let i = 0; i < PARAGRAPHS; i++) {
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText(i % 2 === 0 ? 'Priya: ' : '')]);
		blocks.push(p);
	}
	worker.getXmlFragment(FIELD).insert(0, blocks);
	sync(worker, young);
	const sentence = 'I want to live with my nan and see my brother every week at the weekend. ';
	for (let i = 1; i < PARAGRAPHS; i += 2) {
		paragraphText(young, i).insert(0, sentence.repeat(2));
	}
	const server = new Y.Doc();
	sync(young, server);
	sync(worker, server);
	sync(server, worker);
	const writers = new Map<number, Writer>([
		[young.clientID, { writerId: 'young', template: false }],
		[worker.clientID, { writerId: 'worker', template: false }]
	]);
	const provenance = new Provenance('young', writers, []);
	const subject = provenance.ownership;
	const encodedBytes = Y.encodeStateAsUpdate(server).length;

	const judge: number[] = [];
	const apply: number[] = [];
	for (let k = 0; k < KEYSTROKES; k++) {
		const text = paragraphText(worker, (k * 2) % PARAGRAPHS);
		const before = Y.encodeStateVector(worker);
		text.insert(text.length, 'x');
		const update = Y.encodeStateAsUpdate(worker, before);
		let t = performance.now();
		const decoded = Y.decodeUpdate(update);
		const refusal = refusalFor(server, decoded, subject, (item) =>
			provenance.restores(item, 'worker')
		);
		provenance.judge(server, decoded, 'worker', []);
		judge.push(performance.now() - t);
		if (refusal)
			throw new Error(`a keystroke in the worker's own paragraph was refused: ${refusal}`);
		t = performance.now();
		Y.applyUpdate(server, update);
		apply.push(performance.now() - t);
	}

	// One large update: many keystrokes in one paragraph, judged at once.
	const before = Y.encodeStateVector(worker);
	const text = paragraphText(worker, 0);
	for (let k = 0; k < 20_000; k++) text.insert(0, 'y');
	const big = Y.encodeStateAsUpdate(worker, before);
	const started = performance.now();
	const bigDecoded = Y.decodeUpdate(big);
	const bigRefusal = refusalFor(server, bigDecoded, subject);
	provenance.judge(server, bigDecoded, 'worker', []);
	const bigMs = Math.round(performance.now() - started);
	if (bigRefusal) throw new Error(`the large update was refused: ${bigRefusal}`);

	const [judgeP50, judgeP99] = [percentile(judge, 50), percentile(judge, 99)];
	const [applyP50, applyP99] = [percentile(apply, 50), percentile(apply, 99)];
	return {
		document: { paragraphs: PARAGRAPHS, encodedBytes },
		keystroke: {
			samples: KEYSTROKES,
			judgeMs: { p50: ms(judgeP50), p99: ms(judgeP99) },
			applyMs: { p50: ms(applyP50), p99: ms(applyP99) },
			// Judging comes on top of applying, which the server does anyway (bench/targets.ts).
			ratioJudgeToApply: { p50: ratio(judgeP50, applyP50), p99: ratio(judgeP99, applyP99) }
		},
		largeUpdate: { bytes: big.length, judgeMs: bigMs }
	};
}
