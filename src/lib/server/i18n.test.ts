import { describe, expect, it } from 'vitest';
import { chooseLocale, localeFromLink, withoutLanguageParameter } from './i18n';

/** A request to `url`, with a browser that prefers `acceptLanguage`. */
function request(url: string, acceptLanguage?: string): Request {
	return new Request(
		url,
		acceptLanguage ? { headers: { 'accept-language': acceptLanguage } } : undefined
	);
}

/** Cookies holding (or not) a language choice. */
const cookies = (language?: string) => ({
	get: (name: string) => (name === 'language' ? language : undefined)
});

describe('chooseLocale', () => {
	it('speaks English with nothing chosen and no preference we speak', () => {
		expect(chooseLocale(request('https://app.test/sign-in'), cookies())).toBe('en');
		expect(chooseLocale(request('https://app.test/sign-in', 'fr-FR'), cookies())).toBe('en');
	});

	it("follows the browser's preferred language when nothing is chosen", () => {
		expect(chooseLocale(request('https://app.test/sign-in', 'cy-GB,en;q=0.5'), cookies())).toBe(
			'cy'
		);
	});

	it('lets a choice in the cookie win over the browser', () => {
		expect(chooseLocale(request('https://app.test/home', 'cy'), cookies('en'))).toBe('en');
		expect(chooseLocale(request('https://app.test/home', 'en'), cookies('cy'))).toBe('cy');
	});

	it('lets a link (?lang=) win over the cookie and the browser', () => {
		expect(chooseLocale(request('https://app.test/home?lang=cy', 'en'), cookies('en'))).toBe('cy');
		expect(chooseLocale(request('https://app.test/home?x=1&lang=en', 'cy'), cookies('cy'))).toBe(
			'en'
		);
	});

	it('ignores a language we do not speak, in the link or the cookie', () => {
		expect(chooseLocale(request('https://app.test/home?lang=fr'), cookies('cy'))).toBe('cy');
		expect(chooseLocale(request('https://app.test/home?lang='), cookies())).toBe('en');
		expect(chooseLocale(request('https://app.test/home?lang=CY'), cookies())).toBe('en');
		expect(chooseLocale(request('https://app.test/home'), cookies('de'))).toBe('en');
	});
});

describe('localeFromLink', () => {
	it('reads only a language we speak', () => {
		expect(localeFromLink(new URL('https://app.test/?lang=cy'))).toBe('cy');
		expect(localeFromLink(new URL('https://app.test/?lang=en'))).toBe('en');
		expect(localeFromLink(new URL('https://app.test/?lang=xx'))).toBeNull();
		expect(localeFromLink(new URL('https://app.test/?language=cy'))).toBeNull();
		expect(localeFromLink(new URL('https://app.test/'))).toBeNull();
	});
});

describe('withoutLanguageParameter', () => {
	it('keeps the path and the other query parameters', () => {
		expect(withoutLanguageParameter(new URL('https://app.test/sign-in?lang=cy'))).toBe('/sign-in');
		expect(
			withoutLanguageParameter(new URL('https://app.test/sign-in?next=%2Fhome&lang=cy&x=a+b'))
		).toBe('/sign-in?next=%2Fhome&x=a+b');
		expect(withoutLanguageParameter(new URL('https://app.test/?lang=cy&lang=en'))).toBe('/');
	});

	it('never makes an address on another site', () => {
		expect(withoutLanguageParameter(new URL('https://app.test//evil.example/?lang=cy'))).toBe(
			'/evil.example/'
		);
		expect(withoutLanguageParameter(new URL('https://app.test/\\/evil.example?lang=cy'))).toBe(
			'/evil.example'
		);
	});
});
